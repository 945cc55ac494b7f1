"""Two indexes fewer to maintain on the bulk paths (the million-line payment file):

- the reference code is unique through a constraint, not `unique=True`, which on PostgreSQL also builds a
  LIKE (varchar_pattern_ops) index that nothing uses;
- repeated operation numbers inside a file are looked up only among duplicate or rejected lines (applied
  ones are the file's payments), so the index leaves applied lines out."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('payments', '0002_reference_fillfactor'),
        ('people', '0001_initial'),
    ]

    operations = [
        migrations.RemoveIndex(
            model_name='paymentfileline',
            name='payfileline_operation_idx',
        ),
        migrations.AlterField(
            model_name='paymentreference',
            name='code',
            field=models.CharField(max_length=20, verbose_name='referencia'),
        ),
        migrations.AddIndex(
            model_name='paymentfileline',
            index=models.Index(condition=models.Q(('status', 'applied'), _negated=True), fields=['payment_file', 'operation_id'], name='payfileline_operation_idx'),
        ),
        migrations.AddConstraint(
            model_name='paymentreference',
            constraint=models.UniqueConstraint(fields=('code',), name='payref_code_unique'),
        ),
    ]
