"""Relief-solution screens: simulate, preview, apply, approve, letters."""
