"""Credit screens: the borrower's credits and statements, the officer's and staff's credit lookup."""
