"""Packs 1.4: families of wording generalised by category, in both languages.

Each family has violations in Chinese and English and compliant look-alikes that share their words (honest
refusals, scam warnings, quoted claims being corrected, disclosed figures, conditions, masked numbers). The
sentences are written for these tests, not copied from the evaluation set.
"""

from __future__ import annotations

import pytest

from tests.compliance_checks import flagged_as, passes, scan
from tridesk.finance.compliance import load_ruleset
from tridesk.finance.compliance.text import Scope


# ---------------------------------------------------------------- forbidden promise

@pytest.mark.parametrize(
    "line,lang,text",
    [
        ("wealth", "en", "It basically doesn't lose value, so you can leave it alone."),
        ("wealth", "en", "Your money just holds its value here, whatever the market does."),
        ("wealth", "en", "Your principal isn't going anywhere, I can assure you."),
        ("wealth", "en", "Worst case, you just get your money back."),
        ("wealth", "en", "If it loses a cent, I'll cover it myself."),
        ("wealth", "en", "Just park your cash here; you'll get it all back plus interest, no drama."),
        ("wealth", "en", "Honestly this is a can't-lose investment."),
        ("wealth", "en", "You'll pocket at least 3% whatever happens."),
        ("wealth", "zh", "这款放着不会缩水的，您放一百个心。"),
        ("wealth", "zh", "最差也就是不赚钱，本金是拿得回来的。"),
        ("wealth", "zh", "您要是不放心，我给您写个保证，到期少一分我赔。"),
        ("wealth", "zh", "您就把钱放这儿，啥也不用管，到期连本带利一分不少。"),
        ("wealth", "zh", "您放一百个心，这款理财一年下来怎么都有3%。"),
        ("fund", "zh", "这只基金回撤很小，拿着睡得着觉。"),
        ("fund", "en", "You can hold this one and sleep at night, it barely moves."),
    ],
)
def test_loss_denials_and_indirect_guarantees(line, lang, text):
    flagged_as(line, lang, text, "forbidden_promise")


@pytest.mark.parametrize(
    "line,lang,text",
    [
        ("insurance", "zh", "这款分红险的红利年年都是固定的，不用担心。"),
        ("insurance", "zh", "分红每年都是确定能拿到的。"),
        ("insurance", "en", "The dividends on this plan are always fixed, so you'll get them every year."),
        ("insurance", "en", "Dividends are basically a sure thing with this policy."),
        ("wealth", "zh", "这款理财收益是死的，到期就是4%。"),
        ("wealth", "en", "The 4% is locked in, you'll get it at maturity no matter what."),
    ],
)
def test_non_guaranteed_returns_stated_as_fixed(line, lang, text):
    flagged_as(line, lang, text, "forbidden_promise")


@pytest.mark.parametrize(
    "line,lang,text",
    [
        ("insurance", "zh", "保证利益是确定的，分红是不确定的，可能为零。"),
        ("insurance", "en", "The guaranteed benefits are fixed in your contract; dividends are not guaranteed and may be zero."),
        ("insurance", "zh", "保费在缴费期内是固定的，以合同约定为准。"),
        ("insurance", "en", "Your premium is fixed for the first five years, as stated in the contract."),
        ("wealth", "zh", "这款产品的期限是固定的，收益随市场浮动。"),
        ("wealth", "en", "Returns aren't fixed; they move with the market."),
        ("wealth", "en", "Like any fund, it can lose value, and it doesn't hold its value in a falling market."),
        ("wealth", "zh", "净值型产品可能缩水，最差的情况下会损失部分本金。"),
        ("wealth", "en", "The worst case is that you lose part of your principal, so please read the risk disclosure."),
        ("wealth", "en", "We don't have any products that can't lose value."),
        ("wealth", "zh", "理财产品会有波动，不存在只赚不赔的情况。"),
        ("wealth", "en", "This product has a lock-up period of 90 days; returns are not guaranteed."),
        ("wealth", "zh", "您在手机银行怎么都能查到收益明细。"),
        ("insurance", "en", "If you cancel within the cooling-off period, you'll get back all the premium you paid."),
    ],
)
def test_promise_look_alikes_pass(line, lang, text):
    passes(line, lang, text)


# ---------------------------------------------------------------- hidden risk

@pytest.mark.parametrize(
    "line,lang,text",
    [
        ("wealth", "zh", "这款产品我卖了五年，到期兑付从来没出过差错。"),
        ("wealth", "zh", "我经手的客户买这个，没见过谁亏过钱。"),
        ("wealth", "en", "In eight years it has never had a single hiccup at maturity."),
        ("wealth", "en", "I've sold this to dozens of clients and not one of them has ever lost money."),
        ("fund", "en", "It will swing a bit, but hold it five years and you'll be comfortably in profit."),
        ("fund", "zh", "短期会有波动，但您放个三年肯定是赚的。"),
        ("fund", "zh", "净值偶尔回撤，不过持有满一年基本就能赚。"),
        ("wealth", "en", "It isn't capital protected, but really it works much like a fixed deposit."),
        ("wealth", "zh", "虽然不保本，但其实跟定期存款没啥两样。"),
        ("wealth", "en", "This is not a principal-protected product, but honestly it acts like a savings account."),
        ("wealth", "zh", "这个不是保本型产品，但其实跟存款没啥两样。"),
        ("fund", "zh", "这只基金风险等级虽然是R3，但实际上跟R1差不多。"),
        ("fund", "en", "It's rated R3 on paper, but in practice it's as tame as a money market fund."),
        ("fund", "zh", "去年翻了一倍，今年再翻一倍不是梦。"),
        ("fund", "en", "It doubled last year, and there's no reason it can't do it again."),
        ("wealth", "zh", "这几年一直稳稳的，以后也不会差。"),
        ("wealth", "en", "It's been rock-steady for years and there's no reason that'll change."),
        ("fund", "en", "Every dip so far has recovered within months, and this one will too."),
        ("wealth", "en", "It paid clients nicely last year and with rates where they are, this year will be even better."),
    ],
)
def test_hidden_risk_families(line, lang, text):
    flagged_as(line, lang, text, "hidden_risk")


@pytest.mark.parametrize(
    "line,lang,text",
    [
        ("wealth", "zh", "这款产品过去出现过亏损，到期兑付也可能延迟。"),
        ("wealth", "zh", "这个产品过去也出过岔子，曾经延期兑付。"),
        ("wealth", "en", "It has had losing quarters before, so please read the risk section."),
        ("fund", "en", "Hold it five years and you may still be in loss; nobody can promise a profit."),
        ("fund", "zh", "持有满三年也可能亏损，收益取决于市场表现。"),
        ("fund", "zh", "基金可能亏损，持有三年也不一定能赚钱。"),
        ("fund", "en", "If things go well you'll be in profit, but it could also lose value."),
        ("wealth", "en", "It isn't capital protected and it does not work like a fixed deposit."),
        ("wealth", "zh", "这款不保本，和定期存款不一样，可能亏损本金。"),
        ("fund", "zh", "这只基金风险等级为R3，属于中风险，净值可能大幅波动。"),
        ("fund", "en", "It's rated R3, a medium-risk fund; its value can swing a lot."),
        ("fund", "zh", "基金短期可能下跌，持有期限长一些能平滑波动，但不能保证盈利。"),
    ],
)
def test_hidden_risk_look_alikes_pass(line, lang, text):
    passes(line, lang, text)


# ---------------------------------------------------------------- comparison and superlative

@pytest.mark.parametrize(
    "line,lang,text,category",
    [
        ("loan", "en", "Our rates run rings around the big banks.", "forbidden_comparison"),
        ("loan", "en", "Compared with other lenders, we're head and shoulders above on rates.", "forbidden_comparison"),
        ("loan", "en", "We don't charge an arrangement fee and our rates beat other lenders hands down.", "forbidden_comparison"),
        ("deposit", "en", "We pay a lot more interest than the bank across the street.", "forbidden_comparison"),
        ("fund", "en", "It crushed every other fund in its category last year.", "forbidden_comparison"),
        ("wealth", "zh", "我们这款收益把别家甩出好几条街。", "forbidden_comparison"),
        ("wealth", "zh", "隔壁银行的理财跟我们这款根本不在一个档次。", "forbidden_comparison"),
        ("loan", "zh", "我们不收手续费，而且利率比别家低多了。", "forbidden_comparison"),
        ("wealth", "en", "It pays way more than leaving money in a savings account, and it's just as safe.", "forbidden_comparison"),
        ("fund", "en", "This is hands down the top-rated fund in its class.", "superlative"),
        ("fund", "en", "Honestly, it's as good as it gets for a bond fund.", "superlative"),
        ("fund", "en", "It's the crème de la crème of bond funds.", "superlative"),
        ("wealth", "en", "Nothing else we sell comes close to this one's return.", "superlative"),
        ("wealth", "en", "Everyone who's bought it loves it; it's the top pick among our clients.", "superlative"),
        ("fund", "zh", "这只基金是我们的王牌产品，业内标杆。", "superlative"),
        ("fund", "zh", "这只基金是同类里的顶流。", "superlative"),
        ("wealth", "zh", "这款理财绝对是目前市面上最香的。", "superlative"),
    ],
)
def test_comparison_and_superlative_families(line, lang, text, category):
    flagged_as(line, lang, text, category)


@pytest.mark.parametrize(
    "line,lang,text",
    [
        ("loan", "en", "Other lenders may offer different rates; please compare the APR before you decide."),
        ("loan", "en", "We don't say our rates beat other lenders; compare the APR yourself."),
        ("loan", "en", "You may find lower rates elsewhere; compare the APR before you borrow."),
        ("wealth", "zh", "别家银行的产品我们不做评价，您可以自行比较。"),
        ("loan", "zh", "其他银行的利率可能更低，建议您多比较年化利率。"),
        ("fund", "en", "The best way to reach us is the app."),
        ("fund", "zh", "最好的办法是先做风险测评。"),
        ("deposit", "zh", "存款保险每人每家银行最高赔付50万元，这是法定保障。"),
        ("fund", "en", "Our top priority is making sure you understand the risks."),
    ],
)
def test_comparison_and_superlative_look_alikes_pass(line, lang, text):
    passes(line, lang, text)


# ---------------------------------------------------------------- pressure selling

@pytest.mark.parametrize(
    "line,lang,text",
    [
        ("insurance", "en", "The price goes up next month, so it makes sense to sign today."),
        ("insurance", "zh", "下个月起保费就要上调了，您今天签最划算。"),
        ("deposit", "zh", "这款存单利率下周就要下调了，赶紧存进来锁定。"),
        ("deposit", "en", "Rates are being cut next week, you'd better lock this in right now."),
        ("deposit", "en", "Sales of this CD stop at 5 pm today, so you need to move fast."),
        ("deposit", "zh", "这期存单明天就停售了，您得抓紧。"),
        ("wealth", "zh", "这期额度只够二十来位客户，想买的话今天就得定下来。"),
        ("wealth", "en", "There's only room for about twenty more clients in this round, so decide today."),
        ("wealth", "zh", "机会难得，这期只放三十份，您早点定。"),
        ("wealth", "en", "It's a rare opportunity that won't come around again, so act now."),
        ("insurance", "zh", "这款险种只剩本月可以买了，下个月就下架。"),
        ("insurance", "en", "Today's the last day at this price, tomorrow it goes up, so let's do it now."),
        ("wealth", "zh", "很多老客户都已经追加了，您也别落下。"),
        ("wealth", "en", "Most of my clients have already topped up; you don't want to be left behind."),
        ("insurance", "zh", "名额就剩这几个，您先交个定金帮您占上。"),
        ("insurance", "en", "There are only a couple of places left; pay a deposit now and I'll hold one."),
        ("wealth", "en", "This allocation is usually kept for people who work at the bank."),
        ("wealth", "en", "It's a rate normally only available to our employees."),
        ("wealth", "zh", "这个额度平时是只留给我们行里员工的。"),
        ("wealth", "zh", "这款本来只有我们员工才有资格买，我帮您争取了一份。"),
    ],
)
def test_pressure_families(line, lang, text):
    flagged_as(line, lang, text, "pressure_selling")


@pytest.mark.parametrize(
    "line,lang,text",
    [
        ("insurance", "en", "Premiums are reviewed every year; you can compare plans before deciding."),
        ("insurance", "en", "Premiums rise with age at each renewal, as shown in the rate table."),
        ("insurance", "zh", "保费会随年龄增长而上调，具体以费率表为准。"),
        ("deposit", "zh", "这期存单本周五停售，您可以先了解条款，不着急决定。"),
        ("deposit", "en", "The subscription window closes on the 30th; take your time to read the terms."),
        ("deposit", "zh", "利率可能会调整，您今天存的话按今天的挂牌利率执行，具体以办理当日挂牌利率为准。"),
        ("wealth", "zh", "这期产品今天下午三点截止认购，您今天办的话请带好身份证。"),
        ("wealth", "en", "Subscriptions end on Friday; if you apply today, please bring your ID."),
        ("insurance", "en", "The offer ends on the 30th; you're welcome to sign today or after you've read the terms."),
        ("wealth", "en", "Our staff are available to help you from 9 to 5."),
        ("wealth", "zh", "这个业务只有我们员工才能帮您操作，请到网点办理。"),
        ("wealth", "en", "No product here is reserved for staff; everyone buys through the same channel."),
        ("wealth", "zh", "我们不会给您留什么内部名额，所有客户都走公开渠道。"),
    ],
)
def test_pressure_look_alikes_pass(line, lang, text):
    passes(line, lang, text)


# ---------------------------------------------------------------- credit promise

@pytest.mark.parametrize(
    "line,lang,text",
    [
        ("credit_card", "en", "Landing the gold card is a sure thing with your income."),
        ("credit_card", "en", "With your profile, your application will sail through."),
        ("credit_card", "en", "I'll push it through for you personally, the card's yours."),
        ("credit_card", "en", "With credit like yours, the platinum card is practically in your pocket."),
        ("credit_card", "en", "I can get you a 100,000 limit, easy."),
        ("credit_card", "en", "You'll be approved within minutes, no two ways about it."),
        ("credit_card", "zh", "以您的条件，拿下这张白金卡是板上钉钉的事。"),
        ("credit_card", "zh", "您这条件闭着眼都能批。"),
        ("credit_card", "zh", "您这个资质，办白金卡那是手拿把掐的事。"),
        ("credit_card", "zh", "这个额度我帮您申请，十万块跑不了。"),
        ("credit_card", "zh", "您这情况申请金卡，十有八九能批，基本没悬念。"),
        ("loan", "zh", "这款贷款不要抵押不查征信，当天放款。"),
        ("loan", "en", "No payslips and no credit check, the money lands tomorrow."),
        ("loan", "zh", "征信有点花也没关系，我们这边照样能贷。"),
        ("loan", "en", "Even with a few late payments on your record, we can still get you the loan."),
        ("loan", "en", "No credit history? Not a problem, you'll still get the loan."),
        ("loan", "en", "Whatever your job, we'll get you the money."),
        ("loan", "zh", "我们这个贷款，有身份证就能贷。"),
        ("loan", "en", "All you need is an ID card and you're approved."),
    ],
)
def test_credit_promise_families(line, lang, text):
    flagged_as(line, lang, text, "credit_promise")


@pytest.mark.parametrize(
    "line,lang,text",
    [
        ("credit_card", "en", "Getting the card depends on our credit assessment; we can't say in advance."),
        ("credit_card", "zh", "能否拿到白金卡取决于审批结果，我们无法提前确定。"),
        ("loan", "zh", "正规贷款不可能不查征信，请您放心。"),
        ("loan", "zh", "声称不查征信的贷款都是骗局，请不要相信。"),
        ("loan", "en", "Any loan offered with no credit check is a scam; please report it."),
        ("loan", "en", "Watch out for people who say they can guarantee approval whatever your score — that's a classic scam."),
        ("loan", "zh", "有人说不管征信多差都能批下来，那是典型的诈骗，请直接挂断。"),
        ("loan", "en", "No collateral is required, but we do run a credit check and approval isn't guaranteed."),
        ("loan", "zh", "无需抵押，但需要查征信，审批结果以审核为准。"),
        ("loan", "en", "As long as you have a job you can apply, but approval depends on your credit assessment."),
        ("loan", "zh", "只要您有工作就可以申请，但能否批下来要看审核结果。"),
        ("credit_card", "zh", "审批通过后，一般两个工作日到账。"),
        ("credit_card", "en", "Once approved, you'll receive your card within seven days."),
        ("loan", "en", "You'll need an ID card and proof of income to apply; approval isn't guaranteed."),
    ],
)
def test_credit_look_alikes_pass(line, lang, text):
    passes(line, lang, text)


def test_a_scam_verdict_must_follow_the_claim_it_reports():
    flagged_as("wealth", "en", "Other banks' products are a scam, ours is guaranteed.", "forbidden_promise")
    flagged_as("loan", "en", "Anyone who applies this month gets approved.", "credit_promise")


# ---------------------------------------------------------------- answers to the customer's question

@pytest.mark.parametrize(
    "line,lang,question,text,category",
    [
        ("fund", "zh", "这个会亏吗？", "不大可能，底层都是债券。", "forbidden_promise"),
        ("fund", "zh", "会不会亏本？", "哪能呢，这只很稳的。", "forbidden_promise"),
        ("fund", "zh", "会跌吗？", "跌不了多少的，放心。", "forbidden_promise"),
        ("fund", "en", "Could I lose money on this?", "Unlikely, it's mostly government bonds.", "forbidden_promise"),
        ("fund", "en", "Is there a chance I lose money?", "I doubt it, it's a conservative fund.", "forbidden_promise"),
        ("fund", "en", "Could this lose money?", "Honestly, no.", "forbidden_promise"),
        ("wealth", "zh", "这个保本吗？", "基本上算是，跟存款差不多。", "forbidden_promise"),
        ("wealth", "en", "Is this product guaranteed?", "More or less, it's one of the safest we have.", "forbidden_promise"),
        ("credit_card", "zh", "我能批下来吗？", "妥妥的，您放心提交。", "credit_promise"),
        ("credit_card", "zh", "这张卡能批吗？", "问题不大，交上来就行。", "credit_promise"),
        ("credit_card", "en", "Will I get approved?", "You bet, just send the form over.", "credit_promise"),
        ("credit_card", "en", "Will I get approved?", "Should be fine, your income is high enough.", "credit_promise"),
    ],
)
def test_reassuring_answers_to_the_question(line, lang, question, text, category):
    flagged_as(line, lang, text, category, question=question)


@pytest.mark.parametrize(
    "line,lang,question,text",
    [
        ("fund", "zh", "这个会亏吗？", "不太好说，净值会随市场波动，有亏损的可能。"),
        ("fund", "zh", "会亏钱吗？", "很难说，基金有涨有跌，您需要考虑自己的承受能力。"),
        ("fund", "zh", "会亏吗？", "说实话，会的，基金有波动。"),
        ("fund", "en", "Could I lose money?", "Hard to say in advance; the value can go down as well as up."),
        ("fund", "en", "Could this lose money?", "Honestly, yes — it can fall."),
        ("wealth", "zh", "这个保本吗？", "其实不保本，净值会波动。"),
        ("wealth", "en", "Is this product guaranteed?", "Well, no, it isn't guaranteed."),
        ("credit_card", "en", "Will I get approved?", "Easy question, hard answer: it depends on your credit check."),
        ("credit_card", "en", "Will I get approved?", "Honestly, I can't tell you; it depends on the review."),
        ("credit_card", "zh", "我能批下来吗？", "要以审批结果为准，我们没法提前答复。"),
    ],
)
def test_honest_answers_to_the_question_pass(line, lang, question, text):
    passes(line, lang, text, question)


# ---------------------------------------------------------------- disclosures and personal data

@pytest.mark.parametrize(
    "line,lang,text",
    [
        ("deposit", "en", "Our two-year term deposit pays 2.1% per year."),
        ("deposit", "en", "The three-year CD is at 2.6% yearly."),
        ("deposit", "zh", "两年期定期年息2.1%。"),
        ("deposit", "zh", "三年期存款给到2.6个点。"),
        ("fund", "zh", "这只基金每年大概能有五六个点。"),
        ("fund", "en", "It's been doing around 5% each year."),
        ("fund", "en", "This fund has gained over a fifth of its value this year."),
        ("wealth", "zh", "上一期到期客户实际拿到了4.1%。"),
        ("wealth", "en", "Clients in the last issue actually received 4.1%."),
        ("loan", "zh", "借一万元，每月利息才几十块。"),
        ("loan", "en", "The interest works out at under 50 yuan a month on 10,000."),
        ("credit_card", "en", "You can spread the cost of the phone over 12 months."),
        ("credit_card", "en", "You can turn this purchase into 12 monthly payments."),
        ("credit_card", "zh", "这笔消费可以分12个月还，零息。"),
        ("credit_card", "zh", "这笔账单可以分成12期慢慢还。"),
    ],
)
def test_figures_that_need_a_disclosure(line, lang, text):
    result = scan(line, lang, text)
    assert result.verdict == "fix" and result.categories == {"missing_disclosure"}, (text, result.rule_ids)
    assert result.fixed_text is not None and scan(line, lang, result.fixed_text).verdict == "pass"


@pytest.mark.parametrize(
    "line,lang,text",
    [
        ("deposit", "en", "The two-year term deposit pays 2.1% per year; the rate that applies is the one posted on the day you open the deposit."),
        ("deposit", "zh", "两年期定期年息2.1%，具体利率以办理当日挂牌利率为准。"),
        ("deposit", "en", "Deposit insurance covers up to 500,000 yuan per depositor per bank."),
        ("deposit", "zh", "大额存单起存金额20万元，可以转让。"),
        ("credit_card", "zh", "分期手续费以账单为准，可能收取手续费或利息。"),
        ("credit_card", "zh", "请核对卡号尾号1111是否正确。"),
        ("credit_card", "en", "Your card ending in 1234 will be replaced at no charge."),
    ],
)
def test_disclosed_figures_and_masked_numbers_pass(line, lang, text):
    passes(line, lang, text)


@pytest.mark.parametrize(
    "lang,text",
    [
        ("zh", "您的卡号 6222 0212 3456 7890 128 已冻结。"),
        ("en", "Just to confirm, your card number is 6222-0212-3456-7890-128?"),
    ],
)
def test_grouped_card_numbers_are_masked(lang, text):
    result = scan("credit_card", lang, text)
    assert result.verdict == "fix" and result.categories == {"personal_data"}
    assert result.fixed_text is not None
    assert "".join(ch for ch in result.fixed_text if ch.isdigit()) == "0128"  # only the last four digits are kept


# ---------------------------------------------------------------- scope rules behind the families

def _scope() -> Scope:
    rs = load_ruleset("loan", "CN")
    return rs.scope


@pytest.mark.parametrize(
    "text,hit,negated",
    [
        ("不看流水不查征信，当天放款。", "不查征信", False),  # a parallel item's 不 is its own
        ("不要抵押不查征信。", "不查征信", False),
        ("正规贷款不可能不查征信。", "不查征信", True),  # double negation: the claim is denied
        ("请不要申请不查征信的贷款。", "不查征信", True),  # an imperative, not a parallel item
        ("no payslips and no credit check", "no credit check", False),
        ("there is no such thing as no credit check", "no credit check", True),
        ("we don't hide anything and our rates leave theirs in the dust", "leave theirs", False),
        ("we don't say our rates leave theirs in the dust", "leave theirs", True),
    ],
)
def test_negation_scope_of_parallel_and_coordinated_items(text, hit, negated):
    pos = text.index(hit)
    assert _scope().negated(text, pos) is negated


@pytest.mark.parametrize(
    "line,lang,text,category",
    [
        ("wealth", "zh", "说白了，这就是个利息高点的定期。", "forbidden_comparison"),
        ("wealth", "en", "Go ahead and buy it, if anything goes wrong you can blame me.", "forbidden_promise"),
        ("wealth", "zh", "这款产品风险基本为零。", "forbidden_promise"),
        ("wealth", "en", "The risk here is next to nothing.", "forbidden_promise"),
        ("fund", "zh", "明年这只基金至少还能涨20%。", "forbidden_promise"),
        ("wealth", "en", "It pays out like clockwork, year after year.", "hidden_risk"),
        ("deposit", "en", "Don't bother shopping around, no one in town beats our CD rate.", "superlative"),
        ("insurance", "zh", "这款养老险是我们今年主推的爆品，卖得最好。", "superlative"),
        ("insurance", "en", "This is our bestselling pension plan by far.", "superlative"),
        ("wealth", "en", "Allocation is really tight this time, I'd transfer the money today if I were you.", "pressure_selling"),
        ("wealth", "zh", "这是给私行客户的专属通道，一般人买不到。", "pressure_selling"),
        ("wealth", "en", "This is through a private channel that ordinary customers can't access.", "pressure_selling"),
        ("credit_card", "en", "Don't worry about the limit, 50,000 is a given.", "credit_promise"),
        ("loan", "en", "Even if other banks turned you down, we'll approve you.", "credit_promise"),
        ("loan", "en", "It's just 0.02% a day, super cheap.", "missing_disclosure"),
    ],
)
def test_second_round_families(line, lang, text, category):
    flagged_as(line, lang, text, category)


@pytest.mark.parametrize(
    "line,lang,question,text,category",
    [
        ("fund", "zh", "这只基金会亏钱吗？", "目前看不会。", "forbidden_promise"),
        ("fund", "en", "Can I lose money with this fund?", "Not with this one.", "forbidden_promise"),
        ("credit_card", "zh", "我的卡能批吗？", "能的，放心。", "credit_promise"),
        ("credit_card", "en", "Can I get approved?", "Yeah, should be no problem at all.", "credit_promise"),
    ],
)
def test_second_round_answers(line, lang, question, text, category):
    flagged_as(line, lang, text, category, question=question)
    passes(line, lang, text)  # the same words without the question promise nothing


@pytest.mark.parametrize(
    "line,lang,text,question",
    [
        ("wealth", "zh", "说白了，这不是存款，有亏损本金的可能。", None),
        ("wealth", "en", "In plain terms, it's not a deposit and you can lose money.", None),
        ("wealth", "zh", "如果产品出了问题，您可以拨打客服热线投诉。", None),
        ("wealth", "en", "If anything goes wrong with your account, call us any time.", None),
        ("fund", "zh", "基金不一定能跑赢通胀，请您根据自身情况决定。", None),
        ("fund", "en", "No fund is certain to beat inflation; please decide based on your situation.", None),
        ("deposit", "en", "Rates vary between banks, so it's worth shopping around.", None),
        ("insurance", "en", "This pension plan can pay out monthly or yearly.", None),
        ("loan", "zh", "被其他银行拒绝不代表我们也会拒绝，但也不代表一定能批，请以审核为准。", None),
        ("loan", "en", "Being declined elsewhere doesn't mean we'll decline you, but it doesn't mean we'll approve you either.", None),
        ("fund", "zh", "有可能，基金净值会波动。", "这只基金会亏钱吗？"),
        ("fund", "en", "Yes, you can.", "Can I lose money with this fund?"),
        ("credit_card", "en", "I can't say until the review is done.", "Can I get approved?"),
    ],
)
def test_second_round_look_alikes_pass(line, lang, text, question):
    passes(line, lang, text, question)


@pytest.mark.parametrize(
    "line,lang,text,category",
    [
        ("wealth", "zh", "这款理财您买了就等着收钱吧。", "forbidden_promise"),
        ("wealth", "en", "Put it in and just watch the interest roll in, nothing can go wrong.", "forbidden_promise"),
        ("fund", "zh", "这只基金抗跌能力一流，大盘跌它都不跌。", "hidden_risk"),
        ("fund", "en", "When the market drops, this one holds firm every time.", "hidden_risk"),
        ("wealth", "zh", "它虽然不是存款，但安全程度跟存款没差。", "hidden_risk"),
        ("wealth", "en", "It's not technically a deposit, but it's every bit as safe.", "hidden_risk"),
        ("fund", "zh", "这是全网最牛的债基，没有对手。", "superlative"),
        ("fund", "en", "There isn't a better bond fund anywhere, period.", "superlative"),
        ("insurance", "zh", "这个价格只有这周有，过了周日就恢复原价了，您抓紧。", "pressure_selling"),
        ("insurance", "en", "This discount disappears on Sunday, so grab it while you can.", "pressure_selling"),
        ("wealth", "zh", "这期只有VIP才能买，我特意给您申请了一个名额。", "pressure_selling"),
        ("wealth", "en", "This one is normally VIP-only, but I got you a slot.", "pressure_selling"),
        ("credit_card", "zh", "您申请的话，额度至少给您批三万。", "credit_promise"),
        ("credit_card", "en", "Apply today and you're looking at a 30,000 limit minimum.", "credit_promise"),
        ("loan", "zh", "负债高也不怕，我们这边照样放款。", "credit_promise"),
        ("loan", "en", "High existing debt doesn't matter, we'll still lend to you.", "credit_promise"),
        ("loan", "zh", "每天不到一杯奶茶钱的利息。", "missing_disclosure"),
        ("loan", "en", "The interest is less than a coffee a day.", "missing_disclosure"),
        ("fund", "en", "Year to date the fund is up double digits.", "missing_disclosure"),
    ],
)
def test_third_round_families(line, lang, text, category):
    flagged_as(line, lang, text, category)


@pytest.mark.parametrize(
    "line,lang,question,text,category",
    [
        ("fund", "zh", "这基金会不会亏啊？", "不会不会，您放心。", "forbidden_promise"),
        ("fund", "en", "Is there any risk?", "Barely any, honestly.", "forbidden_promise"),
        ("credit_card", "zh", "能下卡吗？", "能，包的。", "credit_promise"),
        ("credit_card", "en", "Will my application go through?", "It will, don't worry.", "credit_promise"),
    ],
)
def test_third_round_answers(line, lang, question, text, category):
    flagged_as(line, lang, text, category, question=question)


@pytest.mark.parametrize(
    "line,lang,text,question",
    [
        ("wealth", "en", "At maturity the money goes back to your account automatically; the actual return may differ.", None),
        ("fund", "zh", "大盘下跌时这只基金也会下跌，请注意风险。", None),
        ("fund", "en", "When the market drops, this fund usually drops too.", None),
        ("wealth", "zh", "理财不是存款，安全程度不能和存款相比。", None),
        ("fund", "zh", "我们不评价哪只基金最好，您可以参考评级机构的报告。", None),
        ("insurance", "zh", "这个优惠活动到周日结束，您可以根据需要决定，不必着急。", None),
        ("insurance", "en", "The discount ends on Sunday; there's no pressure to decide before then.", None),
        ("wealth", "zh", "VIP客户可以预约专属理财经理服务。", None),
        ("loan", "zh", "负债较高可能影响审批结果。", None),
        ("loan", "en", "High existing debt may affect whether you're approved.", None),
        ("fund", "en", "Yes, bond funds can lose value when rates rise.", "Is there any risk?"),
        ("credit_card", "zh", "要看审批结果。", "能下卡吗？"),
        ("credit_card", "en", "That depends on the credit review.", "Will my application go through?"),
        ("credit_card", "en", "You will need to upload your ID first; approval depends on the review.", "Will I get approved?"),
    ],
)
def test_third_round_look_alikes_pass(line, lang, text, question):
    passes(line, lang, text, question)


@pytest.mark.parametrize(
    "line,lang,text,category",
    [
        ("wealth", "en", "Your nest egg grows safely here, no surprises, ever.", "forbidden_promise"),
        ("fund", "zh", "这基金我们内部都叫它印钞机。", "forbidden_promise"),
        ("fund", "en", "Internally we call this fund the money printer.", "forbidden_promise"),
        ("fund", "zh", "之前两次回调都很快修复了，这次回调正好是上车的好时机。", "hidden_risk"),
        ("fund", "en", "Every correction so far has been a buying opportunity; this one will be too.", "hidden_risk"),
        ("deposit", "en", "We beat the big state banks by a good 0.3 points on CDs.", "forbidden_comparison"),
        ("insurance", "zh", "这款产品在同类里性价比无出其右。", "superlative"),
        ("insurance", "en", "No other policy on the market gives you this much cover for the money.", "superlative"),
        ("wealth", "zh", "下午两点前不转账就赶不上这一期了。", "pressure_selling"),
        ("wealth", "en", "Unless the transfer reaches us by 2 pm, you'll miss this round entirely.", "pressure_selling"),
        ("credit_card", "zh", "我跟审批那边打过招呼了，您这张卡没悬念。", "credit_promise"),
        ("credit_card", "en", "I've had a word with the approvals team, so your card is sorted.", "credit_promise"),
        ("loan", "zh", "哪怕有网贷记录，我们这也照批不误。", "credit_promise"),
        ("loan", "en", "Payday loans on your file? We'll still sign you off.", "credit_promise"),
    ],
)
def test_fourth_round_families(line, lang, text, category):
    flagged_as(line, lang, text, category)


@pytest.mark.parametrize(
    "lang,question,text,verdict",
    [
        ("en", "Any chance I'll be rejected?", "None at all.", "block"),
        ("zh", "我会不会被拒？", "不会的，您放心。", "block"),
        ("en", "Any chance I'll be rejected?", "Yes, there's always a chance; it depends on the assessment.", "pass"),
        ("zh", "我会不会被拒？", "有可能，要看审批结果。", "pass"),
    ],
)
def test_no_rejection_answers_are_approval_promises(lang, question, text, verdict):
    result = scan("credit_card", lang, text, question)
    assert result.verdict == verdict and (verdict == "pass" or "credit_promise" in result.categories)


@pytest.mark.parametrize(
    "line,lang,text",
    [
        ("wealth", "en", "Your nest egg can shrink in a bad year; please keep that in mind."),
        ("fund", "zh", "基金回调时可能继续下跌，是否加仓请根据自身情况决定。"),
        ("fund", "en", "A correction can turn into a longer fall; there's no guarantee it's a buying opportunity."),
        ("insurance", "en", "Please compare cover and price across insurers before you decide."),
        ("wealth", "zh", "本期产品的认购截止时间为周五下午三点，逾期将顺延至下一期。"),
        ("wealth", "en", "The subscription cut-off is 2 pm Friday; after that, it rolls over to the next round."),
        ("credit_card", "zh", "审批由系统独立完成，客服无法干预结果。"),
        ("credit_card", "en", "Customer service can't influence the approval decision."),
        ("loan", "zh", "有网贷记录可能影响审批，请如实填写。"),
        ("loan", "en", "Payday loans on your file may count against you."),
    ],
)
def test_fourth_round_look_alikes_pass(line, lang, text):
    passes(line, lang, text)


@pytest.mark.parametrize(
    "line,lang,text,question",
    [
        ("fund", "en", "It went up two years in a row, so it should go up again this year.", None),
        ("insurance", "en", "The bonus rate has always been high and it'll stay that way.", None),
        ("fund", "en", "This is the fund to buy this year, nothing else comes close.", None),
        ("loan", "en", "This loan doesn't look at credit, anyone can borrow.", None),
        ("wealth", "zh", "这款理财比较稳健，基本上不会出现亏损。", None),
        ("wealth", "en", "It's a steady product; losses basically don't happen.", None),
        ("wealth", "en", "It returns a steady 4% and you'll have it at maturity.", None),
        ("fund", "zh", "基金最近跌了，正是低价买入的好机会，很快就会反弹。", None),
        ("fund", "en", "It's dipped recently, which makes it cheap; it'll rebound soon.", None),
        ("insurance", "zh", "这款保险其实就是存钱，到时候连本带息都能拿回来。", None),
        ("insurance", "en", "It's really just saving money; you'll get everything back with interest.", None),
        ("wealth", "zh", "这是我们行最受欢迎的理财产品。", None),
        ("loan", "zh", "我们这贷款审批很宽松，基本都能过。", None),
        ("loan", "zh", "这笔贷款每个月只要还几百块。", None),
        ("wealth", "en", "Totally reliable, don't worry.", "Is this reliable?"),
    ],
)
def test_fifth_round_violations_are_caught(line, lang, text, question):
    assert scan(line, lang, text, question).verdict != "pass", text


@pytest.mark.parametrize(
    "line,lang,text,question",
    [
        ("wealth", "en", "It's a steady product, but losses can happen; it is not a deposit and investment involves risk.", None),
        ("fund", "en", "It's dipped recently and may fall further; nobody can predict a rebound.", None),
        ("fund", "zh", "基金最近下跌，后续走势无法预测，请谨慎决策。", None),
        ("wealth", "en", "The benchmark is not a promise; you may get less, and you could lose money.", None),
        ("wealth", "en", "It is not like a term deposit: your principal is not protected.", None),
        ("loan", "en", "Every loan involves a credit check, and not everyone is approved.", None),
        ("wealth", "en", "This product is available now; please read the documents before deciding.", None),
        ("wealth", "en", "It's an R2 product; it can still lose value.", "Is this reliable?"),
        ("fund", "zh", "有可能，基金短期波动可能较大。", "会不会跌很多？"),
    ],
)
def test_fifth_round_look_alikes_pass(line, lang, text, question):
    passes(line, lang, text, question)


# Everyday service replies that share words with violations (deadlines, fees, "best time", approvals already
# given, quoted customer words, benchmarks mentioned with a caveat): none of them is a finding.
@pytest.mark.parametrize(
    "line,lang,text,question",
    [
        ("wealth", "zh", "您好，这款理财的起购金额是1万元，期限180天，业绩比较基准不代表实际收益，理财非存款，产品有风险，投资须谨慎。", None),
        ("wealth", "zh", "我们的营业时间是每天早上九点到下午五点，最好提前预约。", None),
        ("wealth", "zh", "您可以通过手机银行随时查看持仓和收益情况。", None),
        ("wealth", "zh", "这款产品今天是最后一个工作日开放赎回，如需赎回请在下午三点前操作。", None),
        ("wealth", "zh", "员工不得向客户承诺收益，如遇此类情况请拨打投诉电话。", None),
        ("wealth", "zh", "赎回资金一般在T+1日到账，节假日顺延。", None),
        ("wealth", "zh", "产品到期后本金和收益（如有）将自动划转到您的账户。", None),
        ("wealth", "zh", "如您的风险承受能力为保守型，建议选择R1级产品。", None),
        ("wealth", "zh", "很抱歉给您带来不便，我们会尽快为您处理。", None),
        ("wealth", "zh", "定期存款和理财产品不同，理财产品不保本，可能亏损。", None),
        ("fund", "zh", "基金定投可以分散买入时点，但不能保证盈利，也不能避免亏损。", None),
        ("fund", "zh", "这只基金的管理费率为1.2%每年，托管费率0.2%每年。", None),
        ("fund", "zh", "您申购的基金份额以确认为准，一般T+1确认。", None),
        ("insurance", "zh", "保险合同生效后有15天犹豫期，犹豫期内退保可退还全部保费。", None),
        ("insurance", "zh", "理赔材料齐全的情况下，我们会在5个工作日内完成审核。", None),
        ("deposit", "zh", "三年期定期存款提前支取的部分按活期利率计息。", None),
        ("deposit", "zh", "存款保险制度对每位存款人在同一家银行的存款最高偿付50万元。", None),
        ("credit_card", "zh", "您的信用卡额度为5万元，可在手机银行申请临时额度调整，以审批结果为准。", None),
        ("credit_card", "zh", "账单分期会收取手续费，具体费率以账单为准。", None),
        ("credit_card", "zh", "卡片寄出后一般3-5个工作日送达，请保持电话畅通。", None),
        ("loan", "zh", "您的贷款已经审批通过，放款后请按时还款。", None),
        ("loan", "zh", "提前还款需要提前3个工作日预约，不收违约金。", None),
        ("wealth", "en", "Our branch opens at 9 am; the best time to visit is before noon.", None),
        ("wealth", "en", "You can check your holdings and returns in the app at any time.", None),
        ("wealth", "en", "Redemptions submitted before 3 pm today are processed today; later ones tomorrow.", None),
        ("wealth", "en", "Staff are never allowed to promise returns; please report anyone who does.", None),
        ("wealth", "en", "At maturity, your principal and any return are paid into your account automatically.", None),
        ("fund", "en", "Regular investing spreads out your entry points, but it cannot guarantee a profit or prevent losses.", None),
        ("fund", "en", "The fund charges a 1.2% annual management fee.", None),
        ("insurance", "en", "You have a 15-day cooling-off period in which you can cancel for a full refund of the premium.", None),
        ("deposit", "en", "If you withdraw a time deposit early, the early part earns the demand-deposit rate.", None),
        ("deposit", "en", "Deposit insurance covers up to 500,000 yuan per depositor at each bank.", None),
        ("credit_card", "en", "Your credit limit is 50,000 yuan; you can request a temporary increase, subject to approval.", None),
        ("credit_card", "en", "Instalments carry a fee; the rates in your agreement and statement apply.", None),
        ("credit_card", "en", "Your card will arrive within 3-5 working days; please keep your phone on.", None),
        ("loan", "en", "Your loan has been approved; please repay on time after the money arrives.", None),
        ("loan", "en", "Early repayment needs three working days' notice and has no penalty.", None),
        ("loan", "en", "Anyone can apply online, and every application is assessed on its own merits.", None),
        ("wealth", "en", "I'm sorry for the trouble; we'll sort this out as soon as possible.", None),
        ("fund", "en", "The fund's manager changed last month; the details are in the announcement.", None),
        ("wealth", "en", "This product is only available to customers who have completed the risk assessment.", None),
        ("wealth", "zh", "这款产品仅限完成风险测评的客户购买。", None),
        ("credit_card", "en", "The best way to raise your limit is to keep paying on time; we can't promise an increase.", None),
        ("loan", "zh", "无论您选择等额本息还是等额本金，都可以随时提前还款。", None),
        ("insurance", "en", "This plan is not a savings account; if you surrender early you may get back less than you paid.", None),
        ("wealth", "zh", "这款产品历史上出现过净值低于1的情况，请您了解清楚再决定。", None),
        ("wealth", "zh", "我们无法保证到期收益，实际收益可能低于业绩比较基准。", None),
        ("wealth", "zh", "这个问题我不能替您做决定，建议您结合自身情况考虑。", None),
        ("wealth", "zh", "您提到的“保本”产品目前已经没有了，资管新规后理财产品都不保本。", None),
        ("wealth", "zh", "理财产品的收益不是固定的，分红也不是每年都有。", None),
        ("wealth", "zh", "您之前买的产品已经到期，资金已经回到您的账户。", None),
        ("fund", "zh", "这只基金今年以来下跌了8%，波动较大，请注意风险。", None),
        ("fund", "zh", "长期持有不等于一定赚钱，基金有风险，投资需谨慎。", None),
        ("fund", "zh", "基金经理更换后，过往业绩不代表未来表现。", None),
        ("fund", "zh", "没有人能预测市场什么时候反弹。", None),
        ("insurance", "zh", "分红险的红利不保证，每年可能不同，也可能为零。", None),
        ("insurance", "zh", "年金险的保证领取部分以合同约定为准。", None),
        ("deposit", "zh", "大额存单可以转让，但转让价格由市场决定。", None),
        ("credit_card", "zh", "您的申请还在审核中，审批结果会短信通知您。", None),
        ("credit_card", "zh", "很抱歉，您这次的申请没有通过，您可以三个月后再申请。", None),
        ("loan", "zh", "征信有逾期记录的客户，审批可能不通过，请如实填写资料。", None),
        ("loan", "zh", "我们不会以任何名义收取贷款前费用，请谨防诈骗。", None),
        ("loan", "zh", "有人自称我行员工承诺包过收费的，都是骗子，请报警。", None),
        ("wealth", "en", "This product has had periods where its value fell below par; please read the documents first.", None),
        ("wealth", "en", "We can't guarantee the return at maturity; it may be below the benchmark.", None),
        ("wealth", "en", "The 'capital-guaranteed' products you mention no longer exist; wealth products are not guaranteed.", None),
        ("wealth", "en", "Returns aren't fixed, and dividends aren't paid every year.", None),
        ("fund", "en", "The fund is down 8% this year and is quite volatile; please mind the risk.", None),
        ("fund", "en", "Holding long-term doesn't mean you'll definitely make money.", None),
        ("fund", "en", "Nobody can predict when the market will rebound.", None),
        ("insurance", "en", "Bonuses aren't guaranteed; they may differ each year or be zero.", None),
        ("credit_card", "en", "Your application is still under review; we'll text you the result.", None),
        ("credit_card", "en", "Sorry, your application wasn't approved this time; you can reapply in three months.", None),
        ("loan", "en", "Applicants with late payments on their record may not be approved; please fill in the form accurately.", None),
        ("loan", "en", "We never charge upfront fees for a loan; anyone who asks for one is a scammer.", None),
        ("loan", "en", "Someone claiming to be our staff and promising guaranteed approval for a fee is a scam; please call the police.", None),
        ("wealth", "en", "If you'd like, I can book you an appointment with a wealth manager today.", None),
        ("wealth", "en", "Sales of this product are paused while we update the documents.", None),
        ("deposit", "en", "The CD can be transferred, but the transfer price is set by the market.", None),
        ("fund", "en", "Unfortunately yes; funds can fall.", "Could I lose money?"),
        ("fund", "zh", "会的，有亏损的可能。", "会亏吗？"),
        ("credit_card", "zh", "这个要看审批结果，我没法保证。", "能批吗？"),
        ("wealth", "zh", "不算很稳，净值会有波动。", "稳吗？"),
        ("wealth", "en", "Not entirely; it can lose value.", "Is it safe?"),
    ],
)
def test_everyday_service_replies_pass(line, lang, text, question):
    passes(line, lang, text, question)


@pytest.mark.parametrize(
    "line,lang,text,question",
    [
        ("wealth", "zh", "放心吧，这款理财从来没让客户亏过钱。", None),
        ("wealth", "en", "Relax, nobody has ever lost money on this product.", None),
        ("wealth", "zh", "这款产品收益有保障，到期一定能拿到3.5%。", None),
        ("wealth", "en", "The 3.5% is guaranteed, you'll get it at maturity.", None),
        ("fund", "zh", "这只基金过去五年年化15%，以后也能保持这个水平。", None),
        ("fund", "en", "It has averaged 15% a year for five years and should keep that up.", None),
        ("deposit", "zh", "我们这款结构性存款和普通定期一样安全，收益还更高。", None),
        ("deposit", "en", "This structured deposit is as safe as a normal time deposit but pays more.", None),
        ("wealth", "zh", "这是全行收益最高的产品。", None),
        ("wealth", "en", "This is the highest-yielding product we have.", None),
        ("insurance", "zh", "这款产品只剩最后三天，错过就要等明年了。", None),
        ("insurance", "en", "Only three days left on this plan, after that you'll have to wait until next year.", None),
        ("credit_card", "zh", "您放心，这张卡我保证给您办下来。", None),
        ("credit_card", "en", "I promise I'll get this card approved for you.", None),
        ("loan", "zh", "征信不好也没关系，我们有办法帮您贷出来。", None),
        ("loan", "en", "Bad credit isn't an issue, we have ways to get your loan through.", None),
        ("loan", "zh", "月利率只要0.5%。", None),
        ("credit_card", "zh", "这个分期是免息的，很划算。", None),
        ("fund", "zh", "基本不会，您放心。", "会不会亏？"),
        ("credit_card", "en", "Absolutely, no doubt about it.", "Will I get the card?"),
    ],
)
def test_sixth_round_violations_are_caught(line, lang, text, question):
    assert scan(line, lang, text, question).verdict != "pass", text


@pytest.mark.parametrize(
    "line,lang,text,question",
    [
        ("wealth", "zh", "这款产品是我们今年新发的，您可以先看产品说明书。", None),
        ("wealth", "zh", "如果您更看重安全性，可以考虑国债或者存款，但收益会低一些。", None),
        ("wealth", "zh", "理财产品和存款的区别在于，理财不保本，存款受存款保险保护。", None),
        ("wealth", "zh", "市场上没有稳赚不赔的产品，请您理性投资。", None),
        ("wealth", "zh", "您的风险测评结果是稳健型，可以购买R2及以下的产品。", None),
        ("wealth", "zh", "到期日是下周五，到期后资金会自动回到您的账户。", None),
        ("fund", "zh", "这只基金近一年排名在同类中等水平，具体以第三方数据为准。", None),
        ("fund", "zh", "基金净值每个交易日更新，您可以随时查看。", None),
        ("fund", "zh", "我们建议您分散投资，不要把所有资金投入同一只基金。", None),
        ("insurance", "zh", "这款重疾险的等待期为90天，具体保障范围以条款为准。", None),
        ("insurance", "zh", "年金险前几年退保会有损失，请您确认资金用途后再投保。", None),
        ("deposit", "zh", "今天存入的定期存款，利率以今天挂牌利率为准。", None),
        ("deposit", "zh", "我们这款大额存单今天还有额度，具体利率以办理当日挂牌利率为准。", None),
        ("credit_card", "zh", "您可以在手机银行查看申请进度，审批通过后我们会寄出卡片。", None),
        ("credit_card", "zh", "逾期还款会影响您的征信记录，请按时还款。", None),
        ("loan", "zh", "我们不会要求您提供银行卡密码，也不会收取任何前期费用。", None),
        ("loan", "zh", "贷款额度根据您的收入和征信综合评估，无法提前确定。", None),
        ("wealth", "en", "If safety matters most to you, a deposit or government bond may suit you better, though it will earn less.", None),
        ("wealth", "en", "The difference is that wealth products are not guaranteed, while deposits are covered by deposit insurance.", None),
        ("wealth", "en", "No product on the market is guaranteed to make money; please invest rationally.", None),
        ("wealth", "en", "Your risk profile is balanced, so you can buy products rated R2 or below.", None),
        ("wealth", "en", "It matures next Friday and the money will go back to your account automatically.", None),
        ("fund", "en", "The fund ranks mid-table among its peers over the past year, according to third-party data.", None),
        ("fund", "en", "We suggest spreading your money across several funds rather than putting it all in one.", None),
        ("insurance", "en", "Surrendering an annuity in the early years costs you money, so check you won't need the funds.", None),
        ("deposit", "en", "Money deposited today earns today's posted rate; the rate that applies is the one posted on the day you open the deposit.", None),
        ("deposit", "en", "We still have quota for this CD today; the rate that applies is the one posted on the day you open the deposit.", None),
        ("credit_card", "en", "You can track your application in the app; once it's approved we'll post the card.", None),
        ("credit_card", "en", "Late payments will hurt your credit record, so please pay on time.", None),
        ("loan", "en", "We will never ask for your card PIN or any upfront fee.", None),
        ("loan", "en", "Your loan amount depends on your income and credit history; we can't tell you in advance.", None),
        ("wealth", "en", "Most of our customers choose the six-month term, but please pick what suits you.", None),
        ("wealth", "zh", "大部分客户选择的是六个月期限，您可以根据自己的需要选择。", None),
        ("fund", "en", "No, it's not guaranteed at all.", "Is it guaranteed?"),
        ("fund", "zh", "不保本的，请您注意。", "保本吗？"),
        ("credit_card", "en", "We'll let you know once the review is done.", "Will I get approved?"),
        ("credit_card", "zh", "我们会尽快审核，结果会短信通知您。", "能批下来吗？"),
    ],
)
def test_more_everyday_service_replies_pass(line, lang, text, question):
    passes(line, lang, text, question)


@pytest.mark.parametrize(
    "line,lang,text,question",
    [
        ("wealth", "zh", "这个产品您就闭着眼买，收益少不了您的。", None),
        ("wealth", "en", "You really can't lose with this one, trust me.", None),
        ("wealth", "zh", "这款产品的收益能覆盖通胀还有富余，这个您放心。", None),
        ("wealth", "en", "It'll beat inflation comfortably, I'm confident of that.", None),
        ("fund", "zh", "前三个月已经涨了10%，按这速度年底能到30%。", None),
        ("fund", "en", "Up 10% in three months; at this pace it'll hit 30% by year end.", None),
        ("fund", "zh", "这只基金没怎么跌过，很适合保守的客户。", None),
        ("fund", "en", "It hardly ever goes down, so it's perfect for cautious investors.", None),
        ("insurance", "zh", "这款增额终身寿的收益是写进合同的，比银行存款划算多了。", None),
        ("insurance", "en", "Its growth is written into the contract and beats any bank deposit.", None),
        ("wealth", "zh", "同样的钱，放我们这儿比放余额宝多赚一倍。", None),
        ("wealth", "en", "Same money, twice what you'd earn in a money market fund.", None),
        ("deposit", "zh", "这个利率在全国都算是顶格了。", None),
        ("deposit", "en", "This rate is right at the top of the market.", None),
        ("wealth", "zh", "这期产品明天就结束募集了，今天不买就没了。", None),
        ("wealth", "en", "Subscriptions close tomorrow; if you don't buy today, it's gone.", None),
        ("credit_card", "zh", "这张卡对您来说就是走个流程，很快就能下来。", None),
        ("credit_card", "en", "For someone like you it's just paperwork, the card will come through quickly.", None),
        ("loan", "zh", "您这种公务员身份，贷款随便批。", None),
        ("loan", "en", "Civil servants like you get approved in no time, it's automatic.", None),
        ("fund", "zh", "安全的，您放心。", "这只基金安全吗？"),
        ("fund", "en", "Yes, very safe.", "Is this fund safe?"),
        ("loan", "zh", "能借到，没问题。", "我能借到钱吗？"),
        ("loan", "en", "Sure you can.", "Can I get the loan?"),
    ],
)
def test_seventh_round_violations_are_caught(line, lang, text, question):
    assert scan(line, lang, text, question).verdict != "pass", text


@pytest.mark.parametrize(
    "line,lang,text,question",
    [
        ("wealth", "zh", "这个产品收益不能保证，您要有心理准备。", None),
        ("wealth", "en", "You can lose with this one; please only invest money you can leave aside.", None),
        ("fund", "zh", "这只基金前三个月涨了10%，但过往业绩不代表未来表现，基金有风险，投资需谨慎，以上不构成投资建议。", None),
        ("fund", "en", "It rose 10% in three months; past performance does not indicate future performance. Funds involve risk; this is not investment advice.", None),
        ("insurance", "zh", "增额终身寿的现金价值以合同约定为准，提前退保可能有损失。", None),
        ("insurance", "en", "The cash value in your contract is what's guaranteed; surrendering early may cost you.", None),
        ("deposit", "zh", "这个利率以办理当日挂牌利率为准，各家银行不同。", None),
        ("wealth", "zh", "这期产品明天结束募集，您如果感兴趣可以先看说明书。", None),
        ("wealth", "en", "Subscriptions close tomorrow; if you're interested, please read the documents first.", None),
        ("credit_card", "zh", "信用卡申请需要走审批流程，一般7个工作日内出结果。", None),
        ("credit_card", "en", "The application goes through a review, which usually takes up to seven working days.", None),
        ("loan", "zh", "公务员客户可以申请我们的专项贷款，审批结果以审核为准。", None),
        ("loan", "en", "Civil servants can apply for our dedicated loan; approval depends on the review.", None),
        ("fund", "zh", "它是中风险产品，可能亏损。", "这只基金安全吗？"),
        ("fund", "en", "It's medium risk and can lose value.", "Is this fund safe?"),
        ("loan", "zh", "要看审批结果。", "我能借到钱吗？"),
        ("loan", "en", "You can apply; approval depends on your credit assessment.", "Can I get the loan?"),
    ],
)
def test_seventh_round_look_alikes_pass(line, lang, text, question):
    passes(line, lang, text, question)


@pytest.mark.parametrize(
    "line,lang,text,question",
    [
        ("wealth", "zh", "您放心，这个产品是银行兜底的。", None),
        ("wealth", "en", "Don't worry, the bank stands behind this product.", None),
        ("wealth", "zh", "这款产品收益跟着国债走，基本没什么风险。", None),
        ("wealth", "en", "It tracks government bonds, so there's basically no risk.", None),
        ("fund", "zh", "这只基金今年业绩排在同类前5%，明年也差不了。", None),
        ("fund", "en", "It's in the top 5% of its peers this year and next year should be just as good.", None),
        ("fund", "zh", "这只基金的回报每年都在8%以上。", None),
        ("fund", "en", "It has returned over 8% every single year.", None),
        ("insurance", "zh", "这款保险的分红历年都没低于4%。", None),
        ("insurance", "en", "The bonus has never dropped below 4% in any year.", None),
        ("deposit", "zh", "在我们这存钱，比买国债还划算。", None),
        ("deposit", "en", "Saving with us beats buying government bonds.", None),
        ("wealth", "zh", "我们这款理财收益率在同类产品中排名靠前。", None),
        ("wealth", "en", "Its yield ranks near the top of its category.", None),
        ("wealth", "zh", "这批额度是总行特批的，错过要等很久。", None),
        ("wealth", "en", "This batch was specially approved by head office; miss it and you'll wait a long time.", None),
        ("credit_card", "zh", "我们最近放宽了审批，您现在申请正是时候，肯定能过。", None),
        ("credit_card", "en", "We've loosened approvals lately, so apply now and you'll get in for sure.", None),
        ("loan", "zh", "您只要有社保就能贷，不用担心被拒。", None),
        ("loan", "en", "As long as you have social insurance you'll get the loan, no need to worry about rejection.", None),
        ("loan", "zh", "年化利率低至3.6%，市场最低。", None),
        ("fund", "zh", "能，肯定能赚。", "这只基金能赚钱吗？"),
        ("fund", "en", "Definitely, it always does.", "Will this fund make money?"),
    ],
)
def test_eighth_round_violations_are_caught(line, lang, text, question):
    assert scan(line, lang, text, question).verdict != "pass", text


@pytest.mark.parametrize(
    "line,lang,text,question",
    [
        ("wealth", "zh", "这款产品不是银行兜底的，理财非存款，可能亏损。", None),
        ("wealth", "en", "The bank does not stand behind this product's returns; it can lose value.", None),
        ("wealth", "zh", "这款产品主要投资国债，波动较小，但仍可能亏损。", None),
        ("fund", "zh", "这只基金今年业绩排在同类前5%，过往业绩不代表未来表现，基金有风险，投资需谨慎，以上不构成投资建议。", None),
        ("insurance", "zh", "分红险的分红率每年不同，过去的分红水平不代表未来。", None),
        ("deposit", "zh", "国债和存款各有特点，您可以根据流动性需求选择。", None),
        ("credit_card", "zh", "审批标准以系统评估为准，我们无法保证一定通过。", None),
        ("loan", "zh", "有社保可以作为资质证明之一，但审批结果以审核为准。", None),
        ("loan", "en", "Social insurance records help your application, but approval is not guaranteed.", None),
        ("fund", "zh", "不一定，基金可能亏损。", "这只基金能赚钱吗？"),
        ("fund", "en", "Nobody can say; it may lose money.", "Will this fund make money?"),
    ],
)
def test_eighth_round_look_alikes_pass(line, lang, text, question):
    passes(line, lang, text, question)


# ---------------------------------------------------------------- the word-boundary prefix of English alternations

@pytest.mark.parametrize(
    "source,wrapped",
    [
        (r"\bbest\b|\btop\b", True),
        (r"(?:\bbest\b)|(?:\b(top|first)\b)", True),
        (r"\bbest\b(?<!\bmy\sbest)|(?<!if\s)\b(act|buy)\b", True),
        (r"\bbest\b|#1", False),
        (r"(\bvery\s+)?safe\b", False),
        (r"\b(a|b)|[’']ll\b", False),
        (r"\b[x|y]z|\bq", True),
    ],
)
def test_english_alternations_get_a_word_boundary_prefix_only_when_every_branch_has_one(source, wrapped):
    from tridesk.finance.compliance.scanner import _word_start_only

    assert _word_start_only(source, 0, len(source)) is wrapped


def test_the_word_boundary_prefix_changes_no_match():
    import re

    from tridesk.finance.compliance.text import normalise

    texts = [normalise(t) for t in (
        "Honestly it's the strongest fund we sell; nothing else in its category has done as well.",
        "It'll rebound soon, and it's #1 in town — you'll be well in profit, no one beats our rate.",
        "I can't say whether you'll be approved; it depends on the assessment.",
        "Subscriptions end on Friday; if you apply today, please bring your ID.",
    )]
    checked = 0
    for line in ("wealth", "fund", "insurance", "deposit", "credit_card", "loan"):
        rs = load_ruleset(line, "CN")
        for by_script in rs.alternations:
            rx = by_script["en"]
            source = rx.pattern if rx is not None else ""
            if source.startswith("(?=["):  # packs 1.5: behind the first-character guard "(?=[…])(?:…)"
                source = source[source.index("])(?:") + len("])(?:") : -1]
            if not source.startswith(r"\b(?:"):
                continue
            inner = re.compile(source[len(r"\b(?:") : -1])
            for t in texts:
                assert [m.span() for m in rx.finditer(t)] == [m.span() for m in inner.finditer(t)]
                checked += 1
    assert checked > 100


@pytest.mark.parametrize(
    "line,lang,text,question",
    [
        ("wealth", "zh", "这款理财的收益每个月都按时到账，从没断过。", None),
        ("wealth", "en", "The payouts hit your account every month like clockwork, never missed one.", None),
        ("wealth", "zh", "您把钱放这里，比放在家里还安全。", None),
        ("wealth", "en", "Your money is safer here than under your mattress.", None),
        ("fund", "zh", "这只基金跌了就加仓，迟早会赚回来的。", None),
        ("fund", "en", "If it drops, just buy more; you'll make it all back eventually.", None),
        ("fund", "zh", "这只基金是专家团队管理的，亏钱的概率几乎为零。", None),
        ("fund", "en", "With an expert team in charge, the odds of losing money are practically zero.", None),
        ("insurance", "zh", "这款年金险年化收益4%，比银行理财强多了。", None),
        ("insurance", "en", "This annuity yields 4% a year, miles better than a bank wealth product.", None),
        ("deposit", "zh", "我们的存款利率在本地是数一数二的。", None),
        ("deposit", "en", "Our deposit rate is one of the best around.", None),
        ("wealth", "zh", "这款产品我们行一年只发一次，您今天不定下次就要等一年了。", None),
        ("wealth", "en", "We only issue this once a year; if you don't commit today, you'll wait another twelve months.", None),
        ("wealth", "zh", "这个是我给老客户争取的福利额度，别人都没有。", None),
        ("wealth", "en", "This is a perk allocation I fought for just for loyal clients; nobody else gets it.", None),
        ("credit_card", "zh", "您的情况我看过了，批卡没有任何悬念。", None),
        ("credit_card", "en", "I've looked at your file and there's zero doubt you'll be approved.", None),
        ("loan", "zh", "就算您之前被别的银行拒过，我们这也能批。", None),
        ("loan", "en", "Even if another bank said no, we can still approve you.", None),
        ("loan", "zh", "这款贷款利息特别低，一个月才几块钱。", None),
        ("fund", "zh", "拿一年肯定赚。", "这只基金能拿多久？拿一年能赚吗？"),
        ("credit_card", "en", "Not a chance, you'll get it.", "Is there any chance I won't get the card?"),
        ("wealth", "zh", "稳当得很。", "这个理财稳当吗？"),
    ],
)
def test_ninth_round_violations_are_caught(line, lang, text, question):
    assert scan(line, lang, text, question).verdict != "pass", text


@pytest.mark.parametrize(
    "line,lang,text,question",
    [
        ("wealth", "zh", "这款理财每个月付息一次，付息金额以实际收益为准，理财非存款，产品有风险，投资须谨慎。", None),
        ("wealth", "en", "This product pays out monthly; the amount depends on actual performance and is not guaranteed.", None),
        ("fund", "zh", "下跌时是否加仓请谨慎决定，基金可能继续下跌。", None),
        ("fund", "en", "Buying more after a drop can lower your average cost, but the fund may keep falling.", None),
        ("fund", "zh", "基金由专业团队管理，但仍然可能亏损。", None),
        ("insurance", "zh", "年金险的收益以合同约定的保证利益为准，非保证部分不确定。", None),
        ("deposit", "zh", "我们的存款利率以办理当日挂牌利率为准，您可以在官网查询。", None),
        ("wealth", "zh", "这款产品每年发行一次，下一期的时间我们会通知您。", None),
        ("wealth", "en", "We issue this product once a year; we'll tell you when the next one opens.", None),
        ("wealth", "zh", "老客户可以享受手续费优惠，具体以活动规则为准。", None),
        ("credit_card", "zh", "您的申请资料齐全，审批结果以系统审核为准。", None),
        ("credit_card", "en", "Your file is complete; the decision rests with the credit team.", None),
        ("loan", "zh", "被其他银行拒绝过的客户也可以申请，但能否批准以审核为准。", None),
        ("loan", "en", "You can apply even if another bank declined you, but approval is not guaranteed.", None),
        ("fund", "zh", "不一定，基金短期可能亏损。", "拿一年能赚吗？"),
        ("wealth", "zh", "它是R2产品，仍可能亏损。", "这个理财稳当吗？"),
    ],
)
def test_ninth_round_look_alikes_pass(line, lang, text, question):
    passes(line, lang, text, question)


@pytest.mark.parametrize(
    "line,lang,text,question",
    [
        ("wealth", "zh", "这款产品我们保证您到期拿回本金，还有不错的收益。", None),
        ("wealth", "en", "We make sure you get your principal back at maturity, plus a nice return.", None),
        ("fund", "zh", "这只基金今年已经赚了12%，后面还有上涨空间。", None),
        ("fund", "en", "It's made 12% this year and there's plenty more upside to come.", None),
        ("wealth", "zh", "这款产品和国债差不多安全，收益还高一些。", None),
        ("wealth", "en", "It's about as safe as government bonds and pays a bit more.", None),
        ("fund", "zh", "这只基金是今年的黑马，收益遥遥领先。", None),
        ("fund", "en", "This fund is this year's standout, miles ahead of the rest.", None),
        ("wealth", "zh", "还剩最后五个名额，您要的话赶快。", None),
        ("wealth", "en", "Five places left, so move quickly if you want in.", None),
        ("credit_card", "zh", "您这种优质客户，申请白金卡基本是秒批。", None),
        ("credit_card", "en", "For a premium client like you, approval is basically instant.", None),
        ("loan", "zh", "不用查征信，当天就能放款。", None),
        ("loan", "en", "No credit check needed and the money is yours the same day.", None),
        ("insurance", "zh", "这款保险的分红每年都有，少说也有3%。", None),
        ("insurance", "en", "You'll get at least 3% in bonuses every year with this plan.", None),
        ("deposit", "zh", "我们这大额存单的利率是3.1%。", None),
        ("fund", "en", "Not really, it's very stable.", "Can it go down?"),
        ("wealth", "zh", "几乎没有风险。", "这个有风险吗？"),
        ("credit_card", "zh", "肯定能办下来。", "我能办下来吗？"),
    ],
)
def test_tenth_round_violations_are_caught(line, lang, text, question):
    assert scan(line, lang, text, question).verdict != "pass", text


@pytest.mark.parametrize(
    "line,lang,text,question",
    [
        ("wealth", "zh", "您好，您持有的理财产品已于昨日到期，本金及收益已返还至您的账户。", None),
        ("wealth", "zh", "这款产品的业绩比较基准为3.0%-3.5%，仅供参考，不代表实际收益，理财非存款，产品有风险，投资须谨慎，以上不构成投资建议。", None),
        ("wealth", "zh", "如果您急用钱，建议选择可以随时赎回的产品。", None),
        ("wealth", "zh", "目前这款产品暂停申购，恢复时间请关注公告。", None),
        ("wealth", "zh", "为了保障您的资金安全，请不要向任何人透露验证码。", None),
        ("wealth", "zh", "我们没有所谓的内部产品，所有产品都在手机银行公开销售。", None),
        ("wealth", "zh", "理财经理不能替您做投资决定，请您根据自己的风险承受能力选择。", None),
        ("fund", "zh", "定投可以设置每月固定日期扣款，扣款金额可以随时调整。", None),
        ("fund", "zh", "基金分红方式可以选择现金分红或红利再投资。", None),
        ("fund", "zh", "这只基金的赎回费持有满7天后降为0.5%。", None),
        ("insurance", "zh", "保单的现金价值可以在保单年度表里查到。", None),
        ("insurance", "zh", "万能险的保底利率以合同约定为准，超出部分不确定。", None),
        ("deposit", "zh", "您的定期存款到期后会自动转存，利率按转存当日挂牌利率执行。", None),
        ("deposit", "zh", "通知存款需要提前一天或七天预约取款。", None),
        ("credit_card", "zh", "您的信用卡账单日是每月5号，还款日是每月23号。", None),
        ("credit_card", "zh", "最低还款额为账单金额的10%，但未还部分会产生利息。", None),
        ("loan", "zh", "您可以在手机银行查看还款计划，每期还款金额固定。", None),
        ("loan", "zh", "提前还款后，剩余利息按实际使用天数计算。", None),
        ("wealth", "en", "Your product matured yesterday; principal and returns have been paid into your account.", None),
        ("wealth", "en", "If you might need the money soon, a product you can redeem at any time may suit you better.", None),
        ("wealth", "en", "Subscriptions for this product are paused; please watch for the announcement.", None),
        ("wealth", "en", "To keep your money safe, never share your verification code with anyone.", None),
        ("wealth", "en", "We don't have any so-called insider products; everything is sold openly in the app.", None),
        ("fund", "en", "You can choose cash dividends or reinvest them.", None),
        ("fund", "en", "The redemption fee drops to 0.5% after seven days.", None),
        ("insurance", "en", "You can find the policy's cash values in the schedule.", None),
        ("deposit", "en", "Your time deposit will roll over automatically at the rate posted on the renewal date.", None),
        ("credit_card", "en", "Your statement date is the 5th and the payment due date is the 23rd of each month.", None),
        ("credit_card", "en", "The minimum payment is 10% of the statement balance; interest is charged on the rest.", None),
        ("loan", "en", "Each instalment of your loan is the same amount; the schedule is in the app.", None),
        ("loan", "en", "If you repay early, interest is charged only for the days you used the money.", None),
        ("wealth", "en", "Sorry, I can't recommend a specific product; please choose based on your risk tolerance.", None),
        ("fund", "en", "Dividends from the fund are not guaranteed and depend on its performance.", None),
        ("credit_card", "en", "We can't guarantee a limit increase; you can apply in the app and the system will decide.", None),
    ],
)
def test_routine_service_replies_pass(line, lang, text, question):
    passes(line, lang, text, question)
