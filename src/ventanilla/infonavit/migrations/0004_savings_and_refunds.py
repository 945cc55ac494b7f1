"""Housing subaccount (SCV) movements, employment history, voluntary deposits and SCV refunds. On PostgreSQL
the database refuses UPDATE and DELETE on the SCV movements (append-only, as the credit ledger)."""

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models

import ventanilla.infonavit.models
from ventanilla.core.append_only import append_only


class Migration(migrations.Migration):

    dependencies = [
        ('infonavit', '0003_relief_solutions'),
        ('payments', '0004_drop_unused_owner_index'),
        ('people', '0001_initial'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='EmploymentRelation',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('employer_name', models.CharField(max_length=200, verbose_name='patrón')),
                ('registro_patronal', models.CharField(max_length=11, verbose_name='registro patronal')),
                ('started_on', models.DateField(verbose_name='alta')),
                ('ended_on', models.DateField(blank=True, null=True, verbose_name='baja')),
                ('daily_sbc', models.DecimalField(decimal_places=2, max_digits=10, verbose_name='salario base de cotización diario')),
                ('created_at', models.DateTimeField(default=django.utils.timezone.now)),
                ('created_by', models.ForeignKey(blank=True, db_index=False, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('person', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='employment_relations', to='people.person', verbose_name='persona')),
            ],
            options={
                'verbose_name': 'relación laboral',
                'verbose_name_plural': 'relaciones laborales',
                'ordering': ['person', '-started_on', '-id'],
            },
        ),
        migrations.CreateModel(
            name='RefundRequest',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('claimant', models.CharField(choices=[('worker', 'La persona trabajadora'), ('spouse', 'Cónyuge'), ('child', 'Hija o hijo'), ('parent', 'Madre o padre')], max_length=8, verbose_name='solicitante')),
                ('claimant_name', models.CharField(blank=True, max_length=200, verbose_name='nombre del beneficiario')),
                ('basis', models.CharField(choices=[('pension_resolution', 'Resolución de pensión del IMSS'), ('pension_denial', 'Negativa de pensión (incapacidad de 50 % o más)')], max_length=20, verbose_name='fundamento')),
                ('incapacity_percent', models.DecimalField(blank=True, decimal_places=2, max_digits=5, null=True, verbose_name='incapacidad (%)')),
                ('afore', models.CharField(max_length=60, verbose_name='AFORE')),
                ('clabe', models.CharField(max_length=18, verbose_name='CLABE')),
                ('bank_statement_date', models.DateField(verbose_name='fecha del estado de cuenta')),
                ('status', models.CharField(choices=[('pending', 'En revisión'), ('approved', 'Aprobada, por pagar'), ('refused', 'Rechazada'), ('paid', 'Pagada')], default='pending', max_length=10, verbose_name='estado')),
                ('requested_at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='solicitada el')),
                ('decided_at', models.DateTimeField(blank=True, null=True, verbose_name='decidida el')),
                ('refusal_reason', models.CharField(blank=True, max_length=500, verbose_name='motivo del rechazo')),
                ('due_on', models.DateField(blank=True, null=True, verbose_name='fecha límite de pago')),
                ('amount', models.DecimalField(blank=True, decimal_places=2, max_digits=14, null=True, verbose_name='importe devuelto')),
                ('spei_tracking', models.CharField(blank=True, max_length=30, verbose_name='clave de rastreo SPEI')),
                ('paid_on', models.DateField(blank=True, null=True, verbose_name='pagada el')),
                ('idempotency_key', models.CharField(max_length=128)),
                ('decided_by', models.ForeignKey(blank=True, db_index=False, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('paid_by', models.ForeignKey(blank=True, db_index=False, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('person', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='savings_refunds', to='people.person', verbose_name='titular de la subcuenta')),
                ('requested_by', models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'verbose_name': 'devolución del saldo de la SCV',
                'verbose_name_plural': 'devoluciones del saldo de la SCV',
                'ordering': ['-requested_at', '-id'],
            },
        ),
        migrations.CreateModel(
            name='RefundDocument',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('kind', models.CharField(choices=[('pension_resolution', 'Resolución o negativa de pensión'), ('bank_statement', 'Estado de cuenta bancario con CLABE'), ('identification', 'Identificación oficial'), ('death_certificate', 'Acta de defunción'), ('kinship', 'Acta que acredita el parentesco')], max_length=20, verbose_name='documento')),
                ('file', models.FileField(max_length=200, upload_to=ventanilla.infonavit.models.refund_document_path)),
                ('content_type', models.CharField(max_length=60)),
                ('size', models.PositiveIntegerField()),
                ('sha256', models.CharField(max_length=64)),
                ('uploaded_at', models.DateTimeField(default=django.utils.timezone.now)),
                ('uploaded_by', models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('refund', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='documents', to='infonavit.refundrequest')),
            ],
            options={
                'verbose_name': 'documento de la devolución',
                'verbose_name_plural': 'documentos de la devolución',
                'ordering': ['refund', 'kind', 'id'],
            },
        ),
        migrations.CreateModel(
            name='VoluntaryDeposit',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('amount', models.DecimalField(decimal_places=2, max_digits=14, verbose_name='importe')),
                ('status', models.CharField(choices=[('issued', 'Referencia emitida'), ('paid', 'Pagada y abonada')], default='issued', max_length=8, verbose_name='estado')),
                ('requested_at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='solicitada el')),
                ('paid_at', models.DateTimeField(blank=True, null=True, verbose_name='pagada el')),
                ('idempotency_key', models.CharField(max_length=128)),
                ('person', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='voluntary_deposits', to='people.person', verbose_name='persona')),
                ('reference', models.ForeignKey(blank=True, db_index=False, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='payments.paymentreference')),
                ('requested_by', models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'verbose_name': 'aportación extraordinaria',
                'verbose_name_plural': 'aportaciones extraordinarias',
                'ordering': ['-requested_at', '-id'],
            },
        ),
        migrations.CreateModel(
            name='SavingsMovement',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('sequence', models.PositiveIntegerField()),
                ('kind', models.CharField(choices=[('opening', 'Saldo inicial'), ('contribution', 'Aportación patronal bimestral'), ('voluntary', 'Aportación extraordinaria'), ('returns', 'Rendimientos'), ('refund', 'Devolución del saldo')], max_length=12, verbose_name='movimiento')),
                ('savings_period', models.CharField(choices=[('fondo_72', 'Fondo de Ahorro 1972–1992'), ('scv_92', 'SCV 1992 (mar 1992–jun 1997)'), ('scv_97', 'SCV 1997 (desde jul 1997)')], max_length=8, verbose_name='periodo de la subcuenta')),
                ('posted_on', models.DateField(verbose_name='fecha')),
                ('period', models.DateField(blank=True, null=True, verbose_name='periodo')),
                ('amount', models.DecimalField(decimal_places=2, max_digits=14, verbose_name='importe')),
                ('balance_after', models.DecimalField(decimal_places=2, max_digits=14, verbose_name='saldo')),
                ('operation_id', models.CharField(blank=True, max_length=64, verbose_name='número de operación')),
                ('note', models.CharField(blank=True, max_length=200, verbose_name='nota')),
                ('created_at', models.DateTimeField(default=django.utils.timezone.now)),
                ('actor', models.ForeignKey(blank=True, db_index=False, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('employment', models.ForeignKey(blank=True, db_index=False, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='contributions', to='infonavit.employmentrelation')),
                ('person', models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.PROTECT, related_name='savings_movements', to='people.person')),
                ('refund', models.ForeignKey(blank=True, db_index=False, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='movements', to='infonavit.refundrequest')),
                ('deposit', models.ForeignKey(blank=True, db_index=False, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='movements', to='infonavit.voluntarydeposit')),
            ],
            options={
                'verbose_name': 'movimiento de la subcuenta de vivienda',
                'verbose_name_plural': 'movimientos de la subcuenta de vivienda',
                'ordering': ['person', 'sequence'],
            },
        ),
        migrations.AddConstraint(
            model_name='employmentrelation',
            constraint=models.CheckConstraint(condition=models.Q(('ended_on__isnull', True), ('ended_on__gte', models.F('started_on')), _connector='OR'), name='employment_ends_after_start'),
        ),
        migrations.AddConstraint(
            model_name='employmentrelation',
            constraint=models.CheckConstraint(condition=models.Q(('daily_sbc__gt', 0)), name='employment_sbc_positive'),
        ),
        migrations.AddIndex(
            model_name='refundrequest',
            index=models.Index(condition=models.Q(('status__in', ('pending', 'approved'))), fields=['requested_at'], name='refund_open_idx'),
        ),
        migrations.AddConstraint(
            model_name='refundrequest',
            constraint=models.UniqueConstraint(fields=('requested_by', 'idempotency_key'), name='refund_request_idempotent'),
        ),
        migrations.AddConstraint(
            model_name='refundrequest',
            constraint=models.UniqueConstraint(condition=models.Q(('status__in', ('pending', 'approved'))), fields=('person',), name='refund_one_open_per_person'),
        ),
        migrations.AddConstraint(
            model_name='refundrequest',
            constraint=models.UniqueConstraint(condition=models.Q(('spei_tracking', ''), _negated=True), fields=('spei_tracking',), name='refund_spei_tracking_unique'),
        ),
        migrations.AddConstraint(
            model_name='voluntarydeposit',
            constraint=models.UniqueConstraint(fields=('requested_by', 'idempotency_key'), name='voluntary_deposit_idempotent'),
        ),
        migrations.AddConstraint(
            model_name='voluntarydeposit',
            constraint=models.CheckConstraint(condition=models.Q(('amount__gt', 0)), name='voluntary_deposit_amount_positive'),
        ),
        migrations.AddConstraint(
            model_name='savingsmovement',
            constraint=models.UniqueConstraint(fields=('person', 'sequence'), name='savings_person_sequence_unique'),
        ),
        migrations.AddConstraint(
            model_name='savingsmovement',
            constraint=models.UniqueConstraint(condition=models.Q(('operation_id', ''), _negated=True), fields=('operation_id',), name='savings_operation_unique'),
        ),
        migrations.AddConstraint(
            model_name='savingsmovement',
            constraint=models.UniqueConstraint(condition=models.Q(('kind', 'contribution')), fields=('employment', 'period'), name='savings_contribution_once'),
        ),
        migrations.AddConstraint(
            model_name='savingsmovement',
            constraint=models.UniqueConstraint(condition=models.Q(('kind', 'returns')), fields=('person', 'savings_period', 'period'), name='savings_returns_once'),
        ),
        migrations.AddConstraint(
            model_name='savingsmovement',
            constraint=models.UniqueConstraint(condition=models.Q(('deposit__isnull', False)), fields=('deposit',), name='savings_deposit_once'),
        ),
        migrations.AddConstraint(
            model_name='savingsmovement',
            constraint=models.UniqueConstraint(condition=models.Q(('refund__isnull', False)), fields=('refund', 'savings_period'), name='savings_refund_once'),
        ),
        migrations.AddConstraint(
            model_name='savingsmovement',
            constraint=models.CheckConstraint(condition=models.Q(('balance_after__gte', 0)), name='savings_balance_not_negative'),
        ),
        migrations.AddConstraint(
            model_name='savingsmovement',
            constraint=models.CheckConstraint(condition=models.Q(models.Q(('kind__in', ('contribution', 'returns')), _negated=True), ('period__isnull', False), _connector='OR'), name='savings_periodic_has_period'),
        ),
        append_only("infonavit_savingsmovement"),
    ]
