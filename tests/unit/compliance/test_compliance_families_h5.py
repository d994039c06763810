"""Packs 1.5: families of wording generalised by category from holdout5's misses, in both languages.

Each family has violations in Chinese and English and compliant look-alikes that share their words (honest
statements, scam warnings, disclosed figures, advice with 最好 / "you'd best", bare order numbers). The sentences are
written for these tests, not copied from the evaluation set.
"""

from __future__ import annotations

import re

import pytest

from tests.compliance_checks import flagged_as, passes, scan
from tridesk.finance.compliance.text import find_bank_cards, find_cn_ids, first_char_guard, uncaptured


# ---------------------------------------------------------------- personal data the reply itself labels

@pytest.mark.parametrize(
    "line,lang,text,number",
    [
        ("credit_card", "zh", "您的信用卡号 4392 2601 8834 5518 已经挂失成功。", "4392 2601 8834 5518"),
        ("deposit", "zh", "您绑定的借记卡卡号是6217000011112222333，已为您解绑。", "6217000011112222333"),
        ("loan", "zh", "身份证号32010219880715421X的客户资料已更新。", "32010219880715421X"),
        ("credit_card", "en", "Your card number is 5500-0000-1234-5670 and the card is active again.", "5500-0000-1234-5670"),
        ("deposit", "en", "Account number 6222 0212 3456 7890 123 has been updated.", "6222 0212 3456 7890 123"),
        ("loan", "en", "ID number: 110105199003071235. Your documents are complete.", "110105199003071235"),
    ],
)
def test_numbers_introduced_as_card_account_or_id_are_masked_whatever_their_check_digit(line, lang, text, number):
    result = scan(line, lang, text)
    assert result.verdict == "fix" and "personal_data" in result.categories, (text, result.rule_ids)
    assert result.fixed_text is not None and number not in result.fixed_text
    assert len(result.fixed_text) >= len(text) and "*" in result.fixed_text


@pytest.mark.parametrize(
    "line,lang,text",
    [
        ("credit_card", "zh", "您的订单号6225880137654321已发货，请注意查收。"),
        ("credit_card", "zh", "您尾号5518的卡片已冻结。"),
        ("credit_card", "en", "Tracking number 4392260188345518: your new card is on its way."),
        ("loan", "en", "Reference 320102198807154215 is your complaint ticket; we will reply within two days."),
        ("deposit", "zh", "工单编号320102198807154215已受理，我们会在两个工作日内回复。"),
    ],
)
def test_bare_numbers_without_a_checksum_or_a_label_are_not_masked(line, lang, text):
    passes(line, lang, text)


def test_labels_only_count_right_before_the_number():
    assert list(find_bank_cards("card 4392 2601 8834 5518 has")) != []
    assert list(find_bank_cards("the card was sent with tracking number 4392260188345518")) == []
    assert list(find_cn_ids("身份证号：320102198807154215")) != []
    assert list(find_cn_ids("身份证已收到，工单320102198807154215")) == []


# ---------------------------------------------------------------- pressure

@pytest.mark.parametrize(
    "line,lang,text",
    [
        ("fund", "zh", "这期认购后天截止，错过就得再等半年，建议您今天就把钱转进来。"),
        ("fund", "zh", "募集明天就结束了，错过要再等一年，今天把单子下了吧。"),
        ("wealth", "zh", "产品下周一停止认购，您今天就把合同签了吧。"),
        ("insurance", "zh", "这款保险下个月就要涨价了，您趁涨价前把保单签了。"),
        ("fund", "zh", "员工认购这一轮我给您留了一个名额，只能留到今晚。"),
        ("credit_card", "zh", "新户礼今晚12点就结束了，赶紧申请吧。"),
        ("fund", "en", "Subscriptions close on Friday, and if you wait you'll have to wait another year."),
        ("deposit", "en", "Rates drop next week, so you'll want to lock this in today."),
        ("credit_card", "en", "The cashback offer expires tonight, so apply now."),
        ("fund", "en", "I've put aside a spot in the employee tranche for you, but only until Friday."),
        ("wealth", "en", "I've held back a slot for you in our staff allocation round; I can keep it until tomorrow."),
        ("credit_card", "en", "The sign-up bonus disappears at midnight, so you really want to apply today."),
        ("insurance", "en", "Premiums rise from next month, so it makes sense to sign today before the new pricing kicks in."),
    ],
)
def test_windows_price_rises_and_held_places_push_a_decision(line, lang, text):
    flagged_as(line, lang, text, "pressure_selling", "block")


@pytest.mark.parametrize(
    "line,lang,text",
    [
        ("fund", "zh", "本期募集明天结束，是否认购请您根据自身风险承受能力决定，不必着急。"),
        ("deposit", "zh", "提醒您：定期存款到期日是明天，如需提前支取请带身份证到网点办理。"),
        ("credit_card", "zh", "开卡礼活动今晚12点结束，您如果有兴趣可以了解一下，不办也没关系。"),
        ("fund", "zh", "员工认购不对外开放，普通客户可以在募集期内正常认购。"),
        ("fund", "en", "The subscription window closes on Friday; there's no rush, take the time you need to decide."),
        ("insurance", "en", "Premiums are reviewed every year, and we will write to you before any change."),
        ("fund", "en", "Staff subscription rounds are not open to customers; the public offer runs until the 30th."),
        ("credit_card", "en", "The welcome bonus ends at midnight tonight; it's optional, and the card works the same without it."),
    ],
)
def test_deadlines_stated_without_a_push_pass(line, lang, text):
    passes(line, lang, text)


# ---------------------------------------------------------------- comparison

@pytest.mark.parametrize(
    "line,lang,text",
    [
        ("fund", "zh", "考虑到通胀，其实定期存款比这只基金风险还大。"),
        ("fund", "zh", "国债的波动其实比我们这款还大。"),
        ("deposit", "zh", "全城没有哪家银行的大额存单利率比得过我们。"),
        ("wealth", "zh", "放眼整个市场，没有一家能赶得上我们这款的收益。"),
        ("fund", "en", "Government bonds are actually riskier than our fund, so ours is the safer place for your money."),
        ("wealth", "en", "Savings accounts are more volatile than this plan once you count inflation."),
        ("loan", "en", "No other lender in the city can beat the rate we're offering."),
        ("insurance", "en", "No other insurer will match what this policy pays."),
    ],
)
def test_reverse_comparisons_and_no_rival_can_match(line, lang, text):
    flagged_as(line, lang, text, "forbidden_comparison", "block")


@pytest.mark.parametrize(
    "line,lang,text",
    [
        ("fund", "zh", "股票基金比这只债基风险更大，您可以根据承受能力选择。"),
        ("fund", "zh", "定期存款比这只基金风险小，如果您更看重稳健可以选择存款。"),
        ("fund", "en", "This fund is riskier than a savings account, so only invest money you can leave alone."),
        ("deposit", "en", "Other banks may offer different rates; please compare before you decide."),
    ],
)
def test_honest_comparisons_pass(line, lang, text):
    passes(line, lang, text)


# ---------------------------------------------------------------- hidden risk: disclosures dismissed, risk belittled

@pytest.mark.parametrize(
    "line,lang,text",
    [
        ("wealth", "zh", "风险提示您看看就行，这款产品其实很稳。"),
        ("deposit", "zh", "合同里那些都是格式条款，实际上收益基本都能到最高档。"),
        ("fund", "zh", "上面那段风险揭示是监管要求的套话而已，您别太在意。"),
        ("wealth", "en", "The risk statement is just a formality; in practice this product is very stable."),
        ("fund", "en", "Honestly, those warnings are just boilerplate the lawyers make us add."),
        ("deposit", "en", "That's just the standard legal wording, in practice everyone gets the top rate."),
        ("wealth", "zh", "有一点波动是正常的，但风险小到可以忽略，您不用为这个睡不着觉。"),
        ("fund", "zh", "风险嘛肯定有，不过微乎其微，不值一提。"),
        ("fund", "en", "Sure, there's some risk, but it's negligible and nothing I'd lose sleep over."),
        ("wealth", "en", "There's a tiny bit of risk, but honestly I wouldn't worry about it."),
        ("fund", "en", "Yes, the fund can dip, but the risk is so small it doesn't really matter."),
        ("deposit", "en", "A structured deposit carries some risk, but it's tiny, I wouldn't lose sleep over it."),
    ],
)
def test_disclosures_dismissed_and_risks_belittled(line, lang, text):
    flagged_as(line, lang, text, "hidden_risk", "block")


@pytest.mark.parametrize(
    "line,lang,text",
    [
        ("wealth", "zh", "这是格式条款，我们已经加粗提示，请您仔细阅读。理财非存款，产品有风险，投资须谨慎。"),
        ("wealth", "zh", "风险提示不是走形式，请您务必认真阅读。"),
        ("fund", "en", "Please read the fine print; it's not just boilerplate."),
        ("wealth", "en", "We're required to say this, and we mean it: you could lose money."),
        ("fund", "en", "The risk is small but real, so only invest what you can afford to lose."),
        ("wealth", "zh", "风险虽然不大，但不能忽略，请您根据自身承受能力决定。"),
        ("fund", "zh", "我们不会说风险可以忽略，任何投资都可能亏损。"),
        ("wealth", "en", "If the ups and downs would cost you sleep, a lower-risk product may suit you."),
    ],
)
def test_disclosures_taken_seriously_pass(line, lang, text):
    passes(line, lang, text)


# ---------------------------------------------------------------- missing disclosure

@pytest.mark.parametrize(
    "line,lang,text",
    [
        ("loan", "zh", "这款信用贷年化利率4.5%起，最快当天放款。"),
        ("loan", "zh", "贷款利率大概在5%左右，具体额度看审批。"),
        ("insurance", "zh", "这款万能险目前结算利率4.0%，保底利率2%。"),
        ("fund", "zh", "这只基金业绩在同类中排名前十。"),
        ("loan", "en", "The personal loan comes in at about 5.1% a year."),
        ("loan", "en", "Rates start at 3.9% for customers with a good credit record."),
        ("insurance", "en", "The crediting rate is 3.1% at the moment, with a 2% minimum."),
    ],
)
def test_loan_rates_crediting_rates_and_rankings_need_their_notice(line, lang, text):
    flagged_as(line, lang, text, "missing_disclosure", "fix")


@pytest.mark.parametrize(
    "line,lang,text,category",
    [
        ("fund", "zh", "这只债基拿满一年稳稳有钱赚。", "forbidden_promise"),
        ("fund", "zh", "这只基金过去五年年年都是正收益。", "hidden_risk"),
        ("insurance", "zh", "我们的分红这十年4%以上没掉下来过。", "hidden_risk"),
        ("fund", "en", "It's one of the top-performing funds in its category this year.", "superlative"),
        ("wealth", "en", "This one hasn't lost a penny since launch.", "hidden_risk"),
        ("fund", "en", "Give it six months and you'll be in the green.", "forbidden_promise"),
    ],
)
def test_a_record_a_ranking_or_an_asserted_gain_is_also_a_performance_claim(line, lang, text, category):
    result = scan(line, lang, text)
    assert result.verdict == "block" and {category, "missing_disclosure"} <= result.categories, (
        text, result.rule_ids,
    )


@pytest.mark.parametrize(
    "line,lang,text",
    [
        ("loan", "zh", "贷款年化利率（单利）4.5%起，以审批结果为准，请理性借贷。"),
        ("loan", "en", "The APR starts at 3.9% (simple interest) and is set on approval; please borrow responsibly."),
        ("loan", "en", "Your repayment of 1,250 yuan is due on the 5th."),
        ("insurance", "en", "Crediting rates are not guaranteed and may change; this does not constitute investment advice."),
        ("fund", "zh", "这只基金的排名每个季度都会变化，详情请查看定期报告。"),
    ],
)
def test_disclosed_rates_and_plain_facts_pass(line, lang, text):
    passes(line, lang, text)


# ---------------------------------------------------------------- structured deposits stated as certain

@pytest.mark.parametrize(
    "lang,text",
    [
        ("zh", "这款结构性存款其实就是保本保息，3%稳稳拿到。"),
        ("zh", "挂钩黄金的结构性存款，最高档3.5%基本都能拿到。"),
        ("en", "This structured deposit pays 3.2%, and that's what you'll get."),
        ("en", "The structured deposit basically always pays the top rate."),
    ],
)
def test_structured_deposit_returns_stated_as_certain_are_promises(lang, text):
    flagged_as("deposit", lang, text, "forbidden_promise", "block")


@pytest.mark.parametrize(
    "lang,text",
    [
        ("zh", "结构性存款不同于一般性存款，具有投资风险，收益不是固定的，您可能获得最低收益。"),
        ("en", "A structured deposit differs from an ordinary deposit and carries investment risk; "
               "the 1.5% minimum is what you'll get if the index falls."),
        ("en", "Our one-year time deposit pays 1.75% a year, and that's what you'll get at maturity. "
               "The rate that applies is the one posted on the day you open the deposit."),
    ],
)
def test_structured_deposit_minimums_and_ordinary_deposit_interest_pass(lang, text):
    passes("deposit", lang, text)


# ---------------------------------------------------------------- false positives of packs 1.4

@pytest.mark.parametrize(
    "line,lang,text",
    [
        ("wealth", "zh", "您最好先带上身份证到网点核实一下，我们再一起看看哪些产品适合您。"),
        ("wealth", "zh", "您最好提前规划好资金用途，再选择合适的产品。"),
        ("fund", "en", "You'd best check the risk rating before you pick a product."),
        ("fund", "en", "It's best if you speak to your relationship manager about which product suits you."),
        ("loan", "en", "Anyone promising a loan with no credit check is running a scam."),
        ("loan", "zh", "有人说不查征信也能贷款，那是在骗您。"),
        ("credit_card", "en", "Callers who promise instant approval regardless of your credit are fraudsters."),
    ],
)
def test_advice_and_scam_verdicts_pass(line, lang, text):
    passes(line, lang, text)


@pytest.mark.parametrize(
    "line,lang,text,category",
    [
        ("wealth", "zh", "这款是我们最好的理财产品。", "superlative"),
        ("fund", "en", "This is the best fund we have.", "superlative"),
        ("loan", "en", "Other lenders run scams, but with us approval is guaranteed.", "credit_promise"),
        ("loan", "zh", "别家都是在骗您，我们这边保证放款。", "credit_promise"),
    ],
)
def test_the_same_words_still_catch_claims(line, lang, text, category):
    flagged_as(line, lang, text, category, "block")


# ---------------------------------------------------------------- the compile-time rewrites change no match

_REWRITE_PATTERNS = [
    r"(这些|这|那些)(都)?是(格式条款|套话)|(格式条款|套话)(而已|罢了)",
    r"\b(?:(that[’']s|it[’']s)\s+just\s+(the\s+)?standard\s+wording|\bboilerplate)\b",
    r"(?<!可)(能|会)(分|拿)\s?\d+(\.\d+)?\s?%",
    r"(最|很)?(好|稳)(的)?(产品|基金)",
    r"\b\d+(\.\d+)?\s?%\s+a\s+year|\brates?\s+of\s+\d",
    r"[(（](保本|稳赚)[)）]|\((not|no)\s+risk\)",
    r"[^(]{0,3}(最|很)?(好|稳)|[]()](x)",
]
_REWRITE_TEXTS = [
    "这些都是格式条款，实际上收益很稳。那是套话而已。", "that's just the standard wording, pure boilerplate.",
    "能分3.5%，可能分2%，会拿 4% 吗", "最好的产品和很稳基金", "it pays 4.2% a year at a rate of 3",
    "（保本）和 (稳赚) 都不行 (no risk)", "最好的 ]x (x 很稳", "",
]


@pytest.mark.parametrize("rewrite", [first_char_guard, uncaptured], ids=["first_char_guard", "uncaptured"])
@pytest.mark.parametrize("pattern", _REWRITE_PATTERNS)
def test_compile_time_rewrites_keep_every_match(rewrite, pattern):
    """The first-character guard and the groups made non-capturing find what the pattern as written finds."""
    plain, rewritten = re.compile(pattern), re.compile(rewrite(pattern))
    if rewrite is uncaptured:
        assert rewritten.groups == 0
    for text in _REWRITE_TEXTS:
        assert [m.span() for m in plain.finditer(text)] == [m.span() for m in rewritten.finditer(text)]


def test_first_char_guard_leaves_patterns_it_cannot_help_alone():
    assert first_char_guard("abc|abd") == "abc|abd"  # the compiler already has a prefix
    assert first_char_guard("(a|b)?c*") == "(a|b)?c*"  # may match the empty string
    assert first_char_guard(".x|(y)") == ".x|(y)"  # may open with any character
    assert first_char_guard("(foo|bar)x").startswith("(?=[")


def test_uncaptured_rewrites_groups_only():
    assert uncaptured(r"(a|b)\(c\)[(]d(?:e)(?=f)(?<!g)") == r"(?:a|b)\(c\)[(]d(?:e)(?=f)(?<!g)"
    assert uncaptured(r"[]()]x(y)") == r"[]()]x(?:y)"  # a leading "]" is a literal inside the class
    assert uncaptured(r"(ab)\1") == r"(ab)\1"  # a backreference keeps its group
    assert uncaptured(r"(?P<n>ab)(?P=n)") == r"(?P<n>ab)(?P=n)"


def test_english_alternations_run_ascii_only_on_folded_spaces():
    """The English alternations are compiled ASCII-only (they never see Chinese); the reply's Unicode spaces are folded
    to spaces first, so a no-break space still separates words. The alternation equivalence tests compare them with the
    plain (Unicode) alternations over the labelled English replies."""
    from tridesk.finance.compliance import load_ruleset
    from tridesk.finance.compliance.text import normalise_reply

    ruleset = load_ruleset("wealth", "CN")
    english = [by_script["en"] for by_script in ruleset.concepts.values() if by_script["en"] is not None]
    assert english and all(rx.flags & re.ASCII for rx in english)
    assert all(not by_script["zh"].flags & re.ASCII for by_script in ruleset.concepts.values() if by_script["zh"])
    assert normalise_reply("It pays 4%\u00a0a\u202fyear, guaranteed") == "it pays 4% a year, guaranteed"
    result = ruleset.scan("It pays 4%\u00a0a year, guaranteed\u2009— no risk at all.", "en")
    assert result.verdict == "block"
