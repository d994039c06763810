"""Packs 2.4: holdout25 and holdout26's misses and false positives closed by principle, in both languages.

Principles: a figure said in words ("3.6 percent", as spoken replies and transcripts write it) is a figure; the loan
notice has two halves, what sets the rate and the call to borrow responsibly, as the guide gives it (like the fund
warning since packs 2.0); interest in Chinese numerals is a figure; an ID number named a few words before it is one
whatever its check character; a risk conceded anywhere in the reply and taken back ("so I'd plan on that", "您就按
那个算好了", "the rate only goes one way"); a deadline today and "it has to be now", "once it's gone, it's gone",
"现在不定，下午就没了"; the writer vouching for an approval or a limit; a product said to be safer than another kind of
product; "than any other plan", "the fastest"; "you'll get the full amount back", "stays whole", "doesn't go down";
a floor or the contract promised on a dividend. False positives: the customer's sources and wishes quoted back
("您说电视上讲“…”", "the other bank told you it was '…'", "you asked if …", "您要的“…”"), and own-words disclosures
(not advice on what to buy, the top of its range isn't promised, 不保证的收益是不确定的). Each is pinned by compliant
paraphrases and by look-alike violations. The sentences are written for these tests, not copied from the evaluation set.
"""

from __future__ import annotations

import pytest

from tests.compliance_checks import assert_alternations_keep_every_match, flagged_as, labelled_replies, passes, scan

# an 18-digit number shaped like a resident ID whose check character is wrong: only a cue makes it one
WRONG_CHECK_ID = "110105198507214931"


@pytest.mark.parametrize(
    "line,lang,text,question",
    [
        # reported speech: the customer's sources and wishes
        ("wealth", "zh", "您说网上讲“保本高收益”，这个说法不对，理财产品不保本，可能亏损。", None),
        ("loan", "zh", "您是说您同事讲“贷款随便批”，对吧？其实要看收入和征信，不一定能批。", None),
        ("deposit", "en", "I know the caller told you it was 'guaranteed 5%', but no deposit here offers that. The rate "
                          "that applies is the one posted on the day you deposit.", None),
        ("fund", "en", "You asked if this fund is safer than a deposit. I can't tell you that; they are different things "
                       "and a fund can lose money.", None),
        ("wealth", "en", "You asked for something 'risk-free' for the school fees. Every WMP carries risk, so I won't "
                         "describe one that way.", None),
        # own-words disclosures
        ("fund", "en", "Seven-day yield is 1.8%. Funds involve risk, and past performance does not indicate future "
                       "results. I'm not giving you advice on what to buy.", None),
        ("insurance", "zh", "万能账户上个月结算利率是3.0%，以后可能不一样。保险不是存款，不保证的收益是不确定的。", None),
        ("deposit", "en", "The structured deposit's 3.5 percent is only the top of its range and isn't promised. The rate "
                          "that applies is the one posted on the day you deposit.", None),
        ("deposit", "zh", "结构性存款的收益有浮动部分，能拿多少取决于挂钩的金价，我没法保证最高档。", None),
        # the loan notice, both halves in other words
        ("loan", "en", "Rates start at 3.9 percent a year. The APR is decided at approval, and please borrow "
                       "responsibly.", None),
        ("loan", "zh", "年化利率3.9%起，具体利率要审批时才定，请理性借贷。", None),
        # a deadline with no push; a balance that goes down as it is repaid; an assurance about a statement
        ("fund", "en", "Subscriptions close at noon today. There's no rush: the next window opens on Monday.", None),
        ("credit_card", "en", "Your balance will only go down as you repay it, and early repayment is free.", None),
        ("credit_card", "en", "I'll make sure of that: your statements will come by email from next month.", None),
        # a comparison refused
        ("deposit", "en", "A deposit isn't safer than a bond fund in every way; the two carry different risks.", None),
    ],
)
def test_reported_and_own_words_replies_pass(line, lang, text, question):
    passes(line, lang, text, question)


@pytest.mark.parametrize(
    "line,lang,text,category,verdict",
    [
        # figures in words and in Chinese numerals
        ("loan", "en", "Our instalment loan comes in at 4.2 percent a year.", "missing_disclosure", "fix"),
        ("fund", "en", "The index fund is up 12 per cent this year.", "missing_disclosure", "fix"),
        ("loan", "zh", "借三万的话，一年利息大概九百多块。", "missing_disclosure", "fix"),
        ("credit_card", "en", "A cash advance costs a 1 percent fee, minimum 10 yuan.", "missing_disclosure", "fix"),
        ("fund", "en", "Seven-day yield is 1.8%. This is not investment advice.", "missing_disclosure", "fix"),
        # one half of the loan notice is not the notice
        ("loan", "zh", "这款经营贷年化利率3.9%起，最终利率以审批结果为准。", "missing_disclosure", "fix"),
        ("loan", "en", "Rates start at 3.9% a year. Please borrow responsibly.", "missing_disclosure", "fix"),
        # an ID number named a few words before it
        ("loan", "en", f"Just checking the ID number on your application: {WRONG_CHECK_ID}.", "personal_data", "fix"),
        # a risk conceded, then taken back
        ("wealth", "en", "Returns can change, yes. But it has come in at the top figure for years, so I'd plan on "
                         "that.", "hidden_risk", "block"),
        ("deposit", "zh", "这款结构性存款收益是浮动的。不过您就按最高档算就行。", "hidden_risk", "block"),
        ("loan", "en", "The mortgage rate floats with LPR, so it may move. These days it only goes one way.",
         "hidden_risk", "block"),
        ("wealth", "zh", "这款不保本。但它投的都是国债，您当成稳的来用就好。", "hidden_risk", "block"),
        # pressure
        ("fund", "en", "Subscriptions close at noon today, so it really has to be now.", "pressure_selling", "block"),
        ("deposit", "zh", "这期存单就剩三份了，您今天不定，明天可能就没了。", "pressure_selling", "block"),
        ("wealth", "en", "Only a little of this issue remains, and once it's gone, it's gone.", "pressure_selling",
         "block"),
        # the writer vouching for an approval or a limit; any credit
        ("credit_card", "en", "Your limit will go up to 30,000 next month, I'll make sure of that.", "credit_promise",
         "block"),
        ("credit_card", "en", "With your salary paid in here, you'll get the card. I can tell you that now.",
         "credit_promise", "block"),
        ("loan", "zh", "不管征信怎么样，这笔贷款都能给您做下来。", "credit_promise", "block"),
        # safer than another kind of product; superlatives
        ("deposit", "en", "A time deposit is safer than a stock fund, full stop.", "forbidden_comparison", "block"),
        ("deposit", "zh", "大额存单比理财稳妥多了。", "forbidden_comparison", "block"),
        ("insurance", "en", "This plan pays claims faster than any other plan on the market.", "superlative", "block"),
        # promises
        ("wealth", "en", "You'll get the full 100k back at maturity, plus the return.", "forbidden_promise", "block"),
        ("fund", "en", "A money market fund is simple: your money doesn't go down.", "forbidden_promise", "block"),
        ("insurance", "zh", "这款分红险每年保底给您3%的分红。", "forbidden_promise", "block"),
        ("insurance", "zh", "每年领的钱，包括分红，都是写进合同的。", "forbidden_promise", "block"),
    ],
)
def test_violations_are_flagged(line, lang, text, category, verdict):
    flagged_as(line, lang, text, category, verdict)


def test_a_wrong_check_character_needs_a_cue():
    text = f"Your ID card arrived, reference {WRONG_CHECK_ID}, thanks."
    assert scan("loan", "en", text).verdict == "pass"
    assert scan("loan", "zh", f"身份证已收到，工单{WRONG_CHECK_ID}").verdict == "pass"
    assert scan("loan", "zh", f"您的身份证号码登记的是{WRONG_CHECK_ID}，对吗？").verdict == "fix"


def test_a_figure_in_words_keeps_the_reply_s_spans():
    text = "Our instalment loan comes in at 4.2 percent a year."
    result = scan("loan", "en", text)
    (finding,) = [f for f in result.findings if f.rule_id == "LOAN-RATE"]
    start, end = finding.span
    assert text[start:end].startswith(("comes in at 4.2", "4.2"))
    assert result.fixed_text is not None and result.fixed_text.startswith(text)


def test_the_both_scripts_alternation_keeps_every_match():
    """Each rule's and concept's "both" alternation (English runs behind one word-start test, a word-start-aware
    guard) finds exactly what the plain alternation of its patterns finds, over the labelled replies in both scripts."""
    mixed = labelled_replies("both")[:120]
    assert len(mixed) >= 100
    assert assert_alternations_keep_every_match("both", mixed, ("wealth", "loan")) > 50
