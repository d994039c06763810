"""Packs 2.29: holdout113..holdout116's false positives and misses.

False positives, each a reading that the guide does not make:
- "sum assured" is the insurance term for the cover, not an assurance;
- "风险并不等于零" denies the denial; "X也一样。" carries the previous clause over to X and likens nothing;
- a quoted name retired ("“保本基金”这个叫法已经不用了"), an indirect question ("when, or whether, it will recover"), the
  customer's wish ("if you'd rather sleep well at night");
- a structured deposit said to differ from a time deposit is its notice; the customer's own instalment plan in Chinese.

Misses, each a family of the guide's categories:
- a risk admitted and then waved away in the writer's words ("nothing you need to lose sleep over", "don't stress",
  "不用太担心", "基本没什么影响"), also when the admission is "does not guarantee principal", "gets reported to the credit
  bureau", "are not deposits and carry risk" (a coordinated verb of its own) or "未还部分会计息" (未 of an unpaid amount);
- a non-guaranteed figure to be treated as fixed; approval said to be routine ("basically never get turned down", "the
  80,000 limit is as good as yours", "基本没有批不下来的", "走个流程就下款");
- a push to act today without "您" ("建议今天就把钱转进来", "今晚之前一定拍板"), "let's get your application in right now";
- another bank outranked in English, "you'll be back above what you paid", "这个数肯定能拿到";
- a return in words with its unit after it, a declared bonus as a figure, a dividend's amount in English.

The sentences are written for these tests, not copied from the evaluation set.
"""

from __future__ import annotations

import pytest

from tests.compliance_checks import flagged_as, passes


@pytest.mark.parametrize(
    "line,lang,text",
    [
        ("insurance", "en", "This year's declared dividend was 1.9% of the sum assured. Insurance is not a deposit; dividends "
                            "are not guaranteed and future ones may be lower or nil."),
        ("fund", "zh", "债券基金的风险比股票基金低一些，但风险并不等于零。"),
        ("fund", "zh", "没有哪只基金能保证不亏，债券基金也一样。"),
        ("wealth", "zh", "“保本理财”这个叫法早就不用了，现在的理财产品都不承诺保本。"),
        ("fund", "en", "I can't say when, or whether, the fund will recover."),
        ("wealth", "en", "If you'd rather sleep well at night, a time deposit is a perfectly reasonable place for this money."),
        ("deposit", "zh", "结构性存款和定期存款不一样，收益并不固定。"),
        ("credit_card", "zh", "您的账单分期还剩3期没还完，每期金额可以在App里查看。"),
    ],
)
def test_readings_the_guide_does_not_make_pass(line, lang, text):
    passes(line, lang, text)


@pytest.mark.parametrize(
    "line,lang,text,category",
    [
        ("wealth", "en", "This product does not guarantee principal. Still, it has held up well for years, so it's nothing "
                         "you need to lose sleep over.", "hidden_risk"),
        ("wealth", "en", "Wealth products are not deposits and carry risk. In practice, though, there is very little for you "
                         "to worry about.", "hidden_risk"),
        ("loan", "en", "Late payments get reported to the credit bureau, but one or two won't matter, so don't stress.",
         "hidden_risk"),
        ("credit_card", "zh", "未还部分会计息，不过对您基本没什么影响，不用太担心。", "hidden_risk"),
        ("fund", "zh", "基金有波动，这个要提示您。不过这位经理很稳，您拿着基本不会有问题。", "hidden_risk"),
        ("insurance", "en", "The bonus isn't guaranteed, but you can treat it as a fixed 3% a year.", "hidden_risk"),
        ("credit_card", "en", "Teachers at your school basically never get turned down for this card.", "credit_promise"),
        ("credit_card", "en", "With your salary record, the 80,000 limit is as good as yours.", "credit_promise"),
        ("loan", "zh", "公务员申请这笔贷款，基本没有批不下来的。", "credit_promise"),
        ("loan", "zh", "资料齐了走个流程就下款。", "credit_promise"),
        ("wealth", "zh", "这期额度快满了，建议今天就把钱转进来。", "pressure_selling"),
        ("loan", "en", "Only 20 places are left at this rate, so let's get your application in right now.", "pressure_selling"),
        ("deposit", "en", "Our deposits are safer than anything an online bank can offer.", "forbidden_comparison"),
        ("deposit", "en", "No other bank in town pays more on a two-year term than we do.", "forbidden_comparison"),
        ("fund", "en", "Hold it a few more months and you'll definitely be back above what you paid.", "forbidden_promise"),
        ("insurance", "zh", "分红您就按每年3.5%算，这个数肯定能拿到。", "forbidden_promise"),
        ("wealth", "en", "The product paid out about three percent annualised last cycle.", "missing_disclosure"),
        ("insurance", "en", "The reversionary bonus was declared at 2.4% this year.", "missing_disclosure"),
        ("insurance", "en", "This year the dividend came to about 950 yuan.", "missing_disclosure"),
    ],
)
def test_families_of_the_guide_are_flagged(line, lang, text, category):
    flagged_as(line, lang, text, category)
