from django.urls import path  # noqa: F401  (paths are added below by capability)

from ventanilla.infonavit.views import credits, sinfronteras, solutions  # noqa: F401
from ventanilla.infonavit.views import notices as notice_views
from ventanilla.infonavit.views import prequalification as prequal_views
from ventanilla.infonavit.views import refunds as refund_views
from ventanilla.infonavit.views import savings as savings_views

app_name = "infonavit"

urlpatterns = [
    # credits and statements (views/credits.py)
    path("mi-credito/", credits.my_credits, name="my_credits"),
    path("creditos/", credits.credit_lookup, name="credit_lookup"),
    path("creditos/<str:number>/", credits.credit_detail, name="credit"),
    path("creditos/<str:number>/pagos/", credits.window_payment, name="window_payment"),
    path("creditos/<str:number>/estado.pdf", credits.statement_pdf, name="statement_pdf"),
    path("creditos/<str:number>/movimientos.csv", credits.statement_csv, name="statement_csv"),
    path("creditos/<str:number>/constancia-intereses/<int:year>.pdf", credits.interest_certificate,
         name="interest_certificate"),
    # notices on payroll discounts and the mortgage cancellation letter (views/notices.py)
    path("creditos/<str:number>/avisos/", notice_views.credit_notices, name="credit_notices"),
    path("creditos/<str:number>/avisos/<int:notice_id>/<str:copy>.pdf", notice_views.notice_pdf, name="notice_pdf"),
    path("creditos/<str:number>/carta-cancelacion.pdf", notice_views.cancellation_letter, name="cancellation_letter"),
    # relief solutions (views/solutions.py)
    path("soluciones/simular/", solutions.simulate, name="solutions_simulate"),
    path("creditos/<str:number>/soluciones/", solutions.credit_solutions, name="credit_solutions"),
    path("creditos/<str:number>/soluciones/<str:code>/", solutions.solution_apply, name="solution_apply"),
    path("solicitudes/pendientes/", solutions.applications_pending, name="applications_pending"),
    path("solicitudes/<int:application_id>/", solutions.application_detail, name="application"),
    path("solicitudes/<int:application_id>/carta.pdf", solutions.application_letter, name="application_letter"),
    path("solicitudes/<int:application_id>/aprobar/", solutions.application_approve, name="application_approve"),
    path("solicitudes/<int:application_id>/rechazar/", solutions.application_refuse, name="application_refuse"),
    path("solicitudes/<int:application_id>/terminar/", solutions.application_end, name="application_end"),
    # Infonavit Sin Fronteras payment instructions (views/sinfronteras.py)
    path("sin-fronteras/instrucciones/", sinfronteras.instructions, name="sin_fronteras"),
    path("sin-fronteras/instrucciones/<str:number>.pdf", sinfronteras.instructions_pdf, name="sin_fronteras_pdf"),
    # housing subaccount (SCV), employment history, voluntary deposits (views/savings.py)
    path("mi-ahorro/", savings_views.my_savings, name="my_savings"),
    path("ahorro/<int:person_id>/", savings_views.savings_detail, name="savings"),
    path("ahorro/<int:person_id>/historial-laboral/", savings_views.employment_history, name="savings_employment"),
    path("ahorro/<int:person_id>/aportacion/", savings_views.deposit_new, name="savings_deposit_new"),
    path("aportaciones/<int:deposit_id>/", savings_views.deposit_detail, name="savings_deposit"),
    # devolución del saldo de la SCV (views/refunds.py)
    path("ahorro/<int:person_id>/devolucion/", refund_views.refund_new, name="refund_new"),
    path("devoluciones/", refund_views.refund_queue, name="refund_queue"),
    path("devoluciones/<int:refund_id>/", refund_views.refund_detail, name="refund"),
    path("devoluciones/<int:refund_id>/documentos/<int:document_id>/", refund_views.refund_document,
         name="refund_document"),
    path("devoluciones/<int:refund_id>/aprobar/", refund_views.refund_approve, name="refund_approve"),
    path("devoluciones/<int:refund_id>/rechazar/", refund_views.refund_refuse, name="refund_refuse"),
    path("devoluciones/<int:refund_id>/pagar/", refund_views.refund_pay, name="refund_pay"),
    # fix5c: an approved refund the balance no longer covers goes back to review
    path("devoluciones/<int:refund_id>/revision/", refund_views.refund_reopen, name="refund_reopen"),
    # prequalification and credit simulation (views/prequalification.py, offers engineer)
    path("precalificacion/", prequal_views.simulate, name="prequal_simulate"),
    path("precalificacion/mi-cuenta/", prequal_views.portal, name="prequal_portal"),
    path("precalificacion/personas/<int:person_id>/", prequal_views.for_person, name="prequal_person"),
]
