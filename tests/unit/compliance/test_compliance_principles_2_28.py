"""Packs 2.28: holdout109..holdout112's misses, the guide's own example: a rate or a return said in words is a rate or a return.

"about three and a half percent" is in the guide's list of figures. A shared macro, `worded_pct` ("three and a half
percent", "one and three-quarter percent", "three point one percent", "百分之三点九五", "三厘五", "三点五厘"), now stands for a
figure in the loan and deposit rate notices and the performance notice. Also the notices in the writer's words that these
replies carry ("最终以审批通过后签订的合同为准", "最终执行利率看审批和合同约定", "it's not a deposit and its value can fall"). The
sentences are written for these tests, not copied from the evaluation set.
"""

from __future__ import annotations

import pytest

from tests.compliance_checks import flagged_as, passes


@pytest.mark.parametrize(
    "line,lang,text",
    [
        ("loan", "en", "Our home-improvement loan is currently about three and a half percent a year over 48 months."),
        ("loan", "en", "The staff loan carries an annual rate of about four point two percent over three years."),
        ("loan", "zh", "消费贷现在年化三厘八起，最长可贷五年。"),
        ("loan", "zh", "装修贷年化利率百分之三点六五，最长60期。请理性借贷、按时还款。"),
        ("deposit", "en", "Put it in a one-year CD and it would earn around one and three-quarter percent."),
        ("wealth", "en", "The 90-day product has an annualised benchmark of about three point two percent."),
        ("wealth", "zh", "这款产品去年实际收益大概是百分之三点四，表现挺平稳。"),
    ],
)
def test_worded_figures_are_figures(line, lang, text):
    flagged_as(line, lang, text, "missing_disclosure", "fix")


@pytest.mark.parametrize(
    "line,lang,text",
    [
        ("loan", "zh", "车贷年化利率约为百分之三点七，最终以审批通过后签订的合同为准。借款请量力而行，按时还款。"),
        ("loan", "zh", "设备贷款目前报价年化百分之四起，最终执行利率看审批和合同约定；借款请量力而行。"),
        ("loan", "en", "Rates start from about three and a half percent a year; the actual rate is set on approval. Please "
                       "borrow responsibly."),
        ("wealth", "en", "It has annualised about three percent since launch. It's not a deposit and its value can fall, so "
                         "go in with care; this isn't investment advice."),
        # a figure in words that is no rate: a term, a share
        ("loan", "en", "About three in ten applicants choose the 36-month term."),
        ("deposit", "zh", "这笔定期三年后到期，到时候我们会提前三天提醒您。"),
    ],
)
def test_worded_figures_with_their_notices_or_no_rate_pass(line, lang, text):
    passes(line, lang, text)
