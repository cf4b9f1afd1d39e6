"""The call-up order PDF: A4, the citizen's name and the verification code in its text, a QR
image of the verification address."""

from __future__ import annotations

import io

import pytest
from pypdf import PdfReader

from muster.conscription.actions import cycle as actions_cycle
from muster.conscription.actions import orders as actions_orders
from muster.conscription.reports.order_pdf import batch_pdf, order_pdf, verify_url
from muster.conscription.tests.factories_cycle import REPORT_ON, TODAY, cycle_make, cycle_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def batch():
    cw = cycle_world()
    cycle = cycle_make(cw)
    actions_cycle.quotas_propose(cycle=cycle, acting_user=cw.province_user)
    men = cw.men["99001"][:2]
    batch = actions_orders.order_batch_create(
        cycle=cycle,
        commune=cw.world.communes[0],
        person_ids=[m.pk for m in men],
        report_on=REPORT_ON,
        report_place="Sân vận động xã Một1",
        acting_user=cw.commune_user,
        today=TODAY,
    )
    actions_orders.order_batch_approve(batch=batch, acting_user=cw.commune_user_2, today=TODAY)
    return batch


def _text(content: bytes) -> tuple[PdfReader, str]:
    reader = PdfReader(io.BytesIO(content))
    return reader, "\n".join(page.extract_text() for page in reader.pages)


def test_order_pdf_carries_name_code_and_qr(batch):
    order = batch.orders.select_related("person").first()
    content = order_pdf(order, base="https://muster.example")
    assert content.startswith(b"%PDF")
    reader, text = _text(content)
    assert len(reader.pages) == 1
    page = reader.pages[0]
    assert round(float(page.mediabox.width)) == 595
    assert round(float(page.mediabox.height)) == 842
    for expected in (
        order.person.full_name,
        order.verification_code,
        order.number,
        "LỆNH GỌI CÔNG DÂN NHẬP NGŨ",
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Sân vận động xã Một1",
        "25/02/2027",
    ):
        assert expected in text, expected
    assert len(page.images) == 1  # the QR code
    assert verify_url(order.verification_code, "https://muster.example/") in text.replace("\n", "")


def test_batch_pdf_has_one_page_per_order(batch):
    reader, text = _text(batch_pdf(batch))
    assert len(reader.pages) == 2
    for order in batch.orders.select_related("person"):
        assert order.person.full_name in text
