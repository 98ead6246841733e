"""Frequent Han characters, simplified and traditional: the tie-breaker between GB18030 and Big5.

A short text can decode cleanly both ways; the right reading is the one made of frequent
characters (mojibake is a random draw from thousands of rare ones). The set: the 400 most
frequent characters of the sample corpus (policy vocabulary), 100 of general Chinese, and the
traditional forms of all of them (OpenCC s2t), written out once.
"""

from __future__ import annotations

COMMON_HANZI: frozenset[str] = frozenset(
    "产权知识市业的和专发保展建利局强标化高务理国作加新制进企行护管实机法工中创设服力等推用体政全一动"
    "家提合大人区商度技量构资运导点质监为开有重地立品场平施系会对培规省成关定范领信持与件效融分完项能"
    "科主造价研心善术目支优域升育值以引公转协要金示在战集数志略经十期准入台苏计试办执级划共息社年深明"
    "案基增责民三励各五快申指策组营代程现际调促方事版牌据外审面部打通统达报维性条相健联源院查型侵传落"
    "同上助二及江才个评不到核水学山委位员本文济形长自四布任势式险特向府步争解校单批出农积职治门投极第"
    "究义网意海易织间纠押司纷供更交好处宣确结过奖证索改我城挥万裁密类应求格时小按显色内广请充多速依围"
    "决律模负下得接督鼓登严县遵境探所是注竞需元流训综激配续拥果取于础线活贯州使率判验或检正电键援环益"
    "册可坚互著托航放记革撑南认彻队生总种并先获诉园财聚参养费风教具物将补移题绕村头给整仲贸突筹则智断"
    "较伍击议措从其影响累予情享名路络了他这之来们说也子道而就你那后着里去天如然者日都军无么当起看还此"
    "前又见只没產權識業專發強標務國進護實機創設體動區構資運導點質監爲開場會對規關範領與項價術優轉協戰"
    "數經臺蘇計試辦執級劃責勵組營現際調據審統達報維條聯傳個評學員濟長勢險爭單農積職門極義網織間糾紛處"
    "確結過獎證揮萬類應時顯內廣請圍決負嚴縣競訓綜續擁於礎線貫驗檢電鍵環冊堅記撐認徹隊總種並獲訴園財參"
    "養費風將補題繞頭給貿籌則斷較擊議從響絡這來們說後裏軍無麼當還見沒"
)


def common_count(text: str) -> int:
    """How many characters of `text` are frequent Han characters."""
    return sum(1 for ch in text if ch in COMMON_HANZI)
