"""The domain lexicon: English and Russian cues for the codebook's stance
targets and rhetoric tags, written from the codebook and knowledge of the
domain (not mined from the labeled data). Fragments are regular expressions,
matched case-insensitively on word boundaries (see ``stance.cues``)."""

from stance.cues import CueFamily

_CSTO_MENTION = CueFamily(
    "csto_mention",
    (
        r"csto", r"одкб", r"collective security treaty organi[sz]ation",
        r"the organi[sz]ation", r"(?-i:Организаци\w*)", r"collective security council", r"collective security",
        r"the (?:bloc|alliance)", r"(?:csto )?allies", r"member states",
        r"collective (?:rapid reaction |peacekeeping )?forces", r"(?:csto )?peacekeep\w+ (?:forces|contingent)",
        r"secretary[- ]general", r"tasmagambetov", r"zas", r"permanent council",
        r"организаци\w* договора о коллективной безопасности", r"совет\w* коллективной безопасности",
        r"коллективн\w+ сил\w*", r"генеральн\w+ секретар\w*", r"таймагамбетов\w*",
    ),
)

_CSTO_POSITIVE = CueFamily(
    "csto_positive",
    (
        r"effective\w*", r"efficien\w*", r"reliab\w*", r"capab\w*", r"capacit\w*", r"guarantor\w*",
        r"guarantee\w* (?:of )?(?:our |its |their )?security", r"security guarantee\w*",
        r"no (?:effective |real |viable |other )?alternatives?", r"without alternative",
        r"indispensable", r"productive\w*", r"fruitful", r"success\w*",
        r"(?:with )?high quality", r"strengthen\w*", r"real (?:help|assistance|support)",
        r"(?:ready|readiness) to (?:help|assist|deploy|provide|send|implement)", r"remains? in force",
        r"(?:quite |rather )?(?:promptly|quickly)", r"committed", r"commitment\w*", r"unity", r"united",
        r"living organism", r"dynamic\w*", r"key factor", r"stabili[sz]ing factor", r"in demand",
        r"high demand", r"proved? (?:its |their )?(?:worth|effectiveness|value)", r"coordinated",
        r"resultful", r"combat[- ]ready", r"well[- ]coordinated", r"allied obligations",
        r"эффективн\w*", r"надёжн\w*", r"надежн\w*", r"гарант\w*", r"безальтернатив\w*",
        r"нет альтернатив\w*", r"успешн\w*", r"результативн\w*", r"укреп\w*", r"потенциал\w*",
        r"готов\w* (?:оказать|помочь|к|направить)", r"востребован\w*", r"слаженн\w*", r"боеспособн\w*",
        r"единств\w*", r"солидарн\w*",
    ),
    negatable=True,
    anchor="csto_mention",
)

_CSTO_NEGATIVE = CueFamily(
    "csto_negative",
    (
        r"fail\w*", r"ineffective\w*", r"inefficien\w*", r"paraly[sz]\w*", r"abandon\w*",
        r"(?:did|does|do|has|have) not (?:respond|react|help|come|act|intervene|fulfil\w*|protect)\w*",
        r"(?:didn't|doesn't|hasn't|haven't) (?:respond|react|help|come|act|intervene|fulfil\w*|protect)\w*",
        r"failed to (?:respond|react|help|act|protect|fulfil\w*)", r"(?:is |was )?leaving armenia",
        r"leaves? armenia", r"left (?:armenia|us|its ally|alone)", r"turn\w* (?:its|their) back\w*",
        r"useless\w*", r"unreliab\w*", r"inaction", r"passiv\w*", r"silen\w*", r"dysfunction\w*",
        r"paper tiger", r"disappoint\w*", r"freez\w* (?:its |our |the )?(?:participation|membership)",
        r"frozen (?:its |our |the )?(?:participation|membership)",
        r"(?:withdraw\w*|exit\w*|leav\w*|quit\w*) (?:from )?the csto", r"divided", r"division\w*",
        r"disaster\w*", r"collapse\w*", r"crisis of (?:trust|confidence)", r"unfulfilled",
        r"no (?:reaction|response|help|assistance)", r"ignored", r"irrelevan\w*", r"obsolete",
        r"провал\w*", r"неэффективн\w*", r"бездейств\w*", r"паралич\w*", r"парализ\w*", r"бросил\w*",
        r"бросать", r"не (?:отреагировал\w*|выполнил\w*|помог\w*|защитил\w*)", r"бесполезн\w*",
        r"ненадёжн\w*", r"ненадежн\w*", r"(?:уходит|уйдет|уйдёт) из армении", r"покида\w* армени\w*",
        r"выход\w* из одкб", r"заморо\w*", r"разочарова\w*", r"кризис\w*", r"раскол\w*",
    ),
    negatable=True,
    anchor="csto_mention",
)

_WEST_ACTOR = CueFamily(
    "west_actor",
    (
        r"eu", r"euma", r"european union", r"nato", r"united states", r"(?-i:US)", r"usa", r"u\.s\.",
        r"americ\w+", r"washington", r"brussels", r"(?-i:the West)", r"(?-i:Western)",
        r"western (?:partners|countries|states|powers|allies|missions?|politicians|officials)",
        r"collective west", r"extra-regional\w*", r"non-regional", r"outside (?:forces|powers|players|actors)",
        r"external (?:forces|powers|players|actors)", r"from outside", r"(?:eu|european) (?:monitoring )?mission",
        r"european", r"france", r"french", r"pentagon", r"state department", r"(?:osce minsk group)",
        r"ес", r"евросоюз\w*", r"европейск\w+ союз\w*", r"нато", r"сша",
        r"соединенн\w+ штат\w*", r"соединённ\w+ штат\w*", r"вашингтон\w*", r"брюссел\w*", r"(?-i:Запад\w*)",
        r"западн\w+", r"внерегиональн\w+", r"миссия ес", r"американ\w+", r"франци\w+",
    ),
)

_WEST_POSITIVE = CueFamily(
    "west_positive",
    (
        r"welcom\w*", r"constructive\w*", r"support\w*", r"diversif\w*", r"partnership\w*", r"partners?",
        r"helpful", r"assistance", r"contribut\w* to (?:peace|stability|security)", r"mediat\w*",
        r"deepen\w* (?:ties|relations|cooperation|partnership)", r"legitimate", r"transparen\w*",
        r"reduc\w* tension\w*", r"confidence[- ]building", r"civilian (?:monitoring )?mission",
        r"(?:new|alternative|reliable) partners?", r"security guarantees?", r"protect\w*", r"stabili[sz]\w*",
        r"приветству\w*", r"конструктивн\w*", r"поддерж\w*", r"диверсифи\w*", r"партнерств\w*",
        r"партнёрств\w*", r"посредни\w*", r"содейств\w*",
    ),
    negatable=True,
    anchor="west_actor",
)

_WEST_NEGATIVE = CueFamily(
    "west_negative",
    (
        r"interfer\w*", r"meddl\w*", r"militari[sz]\w*", r"geopolitical (?:dictate|games?|ambitions|interests|project\w*)",
        r"spy\w*", r"spies", r"espionage", r"collect\w* intelligence", r"intelligence[- ]gathering",
        r"under the guise", r"(?:will|would) not bring peace", r"no one from outside", r"impos\w*",
        r"destabili[sz]\w*", r"drag\w* (?:\w+ )?into", r"anti-russian", r"hostile", r"expan\w* (?:of )?(?:the )?(?:military|influence)\w*",
        r"(?:military[- ])?political influence", r"provocat\w*", r"pressur\w*", r"courting", r"hybrid",
        r"colou?r revolution\w*", r"second front", r"proxy", r"hidden agenda", r"selfish (?:interests|goals)",
        r"dictate", r"weaken\w* (?:russia|the csto)", r"squeez\w* (?:out )?russia", r"foothold",
        r"вмешательств\w*", r"милитариз\w*", r"шпион\w*", r"разведыва\w*", r"разведданн\w*", r"диктат\w*",
        r"под видом", r"под предлогом", r"навяз\w*", r"дестабилиз\w*", r"провокац\w*", r"давлени\w*",
        r"антироссийск\w*", r"втяну\w*", r"плацдарм\w*",
    ),
    negatable=True,
    anchor="west_actor",
)

_LOADED_LANGUAGE = CueFamily(
    "loaded_language",
    (
        r"[\"“«‘']\w+(?:-\w+)*(?:\s\w+(?:-\w+)*)?[\"”»’']", r"so-called", r"harmful", r"shameful", r"cynic\w*",
        r"aggressive\w*", r"hysteri\w*", r"destructive", r"provocative", r"catastroph\w*", r"absurd\w*",
        r"outrageous", r"dictate", r"brutal\w*", r"hypocri\w*", r"russophob\w*", r"disgrace\w*",
        r"treacher\w*", r"betray\w*", r"sinister", r"notorious", r"reckless\w*", r"ruthless\w*",
        r"так называем\w*", r"истери\w*", r"циничн\w*", r"деструктивн\w*", r"провокационн\w*", r"вредн\w*",
        r"катастроф\w*", r"абсурд\w*", r"позорн\w*", r"предател\w*", r"русофоб\w*",
    ),
)

_NAME_CALLING = CueFamily(
    "name_calling",
    (
        r"collective west", r"(?:western )?[\"“«‘']?well[- ]wishers[\"”»’']?", r"puppet\w*", r"curators",
        r"overseas (?:masters|patrons|curators)", r"anglo-saxons?", r"regime", r"globalists?", r"hawks",
        r"russophobes", r"(?:so-called |western )?[\"“«]partners[\"”»]", r"masters", r"vassals?", r"satellites?",
        r"коллективн\w+ запад\w*", r"доброжелател\w*", r"марионет\w*", r"куратор\w*", r"англосакс\w*",
        r"режим\w*", r"заокеанск\w+", r"вассал\w*", r"сателлит\w*",
    ),
)

_APPEAL_TO_VALUES = CueFamily(
    "appeal_to_values",
    (
        r"sovereign\w*", r"equality", r"equal (?:rights|partners|states|footing)", r"respect\w*", r"fair\w*",
        r"unfair\w*", r"justice", r"solidarity", r"peace\w*", r"mutual\w* (?:respect|benefi\w*|trust)",
        r"international law", r"independen\w*", r"national interests", r"good[- ]neighbo\w*", r"brotherhood",
        r"twists? anyone's hands", r"common (?:good|home|interests)", r"friendship", r"trust", r"dignity",
        r"territorial integrity", r"self-determination", r"humanitarian",
        r"суверен\w*", r"равенств\w*", r"равноправ\w*", r"уважени\w*", r"справедлив\w*", r"солидарност\w*",
        r"мирн\w*", r"взаимовыгодн\w*", r"международн\w+ прав\w*", r"независим\w*", r"добрососед\w*",
        r"братств\w*", r"дружб\w*", r"доверие", r"территориальн\w+ целостност\w*",
    ),
)

_APPEAL_TO_AUTHORITY = CueFamily(
    "appeal_to_authority",
    (
        r"(?:our|the) president (?:has )?(?:said|spoke|stressed|noted|emphasi[sz]ed|made clear)",
        r"as (?:president |minister |the president |the minister )?(?:\w+ )?(?:said|noted|stressed|pointed out)",
        r"consolidated (?:assessment|position|opinion|view)", r"all (?:member )?states (?:agree\w*|support\w*|share\w*)",
        r"overwhelming majority", r"the leaders (?:agreed|decided|adopted|approved)", r"heads of (?:state|states)",
        r"experts (?:agree|say|believe|note)", r"in the words of", r"international community",
        r"(?:putin|lavrov|shoigu|lukashenko|tokayev) (?:said|stressed|noted|emphasi[sz]ed)",
        r"according to (?:the )?(?:president|secretary[- ]general|minister)", r"it is (?:generally )?recogni[sz]ed",
        r"как (?:заявил|отметил|сказал|подчеркнул) (?:\w+ )?президент\w*", r"президент\w* (?:заявил|отметил|говорил|подчеркнул)",
        r"консолидированн\w*", r"подавляющ\w+ большинств\w*", r"главы государств", r"мировое сообщество",
    ),
)

_DENIAL = CueFamily(
    "denial",
    (
        r"nothing of the (?:kind|sort)", r"of course not", r"baseless", r"groundless", r"unfounded",
        r"(?:is|are|was) not true", r"untrue", r"false", r"(?:strongly |completely )?disagree\w*",
        r"(?:this|that|it) is not (?:so|the case)", r"no (?:grounds|basis|reason) (?:to|for)",
        r"inappropriate to (?:speak|say|talk)", r"myths?", r"fake\w*", r"absolutely not", r"by no means",
        r"far from (?:the truth|reality)", r"den(?:y|ies|ied)", r"reject\w* (?:the )?(?:claims?|accusations?|allegations?)",
        r"out of (?:the )?question", r"no such", r"(?:is|are) not (?:going to|planning to)",
        r"ничего подобного", r"конечно(?:,)? (?:же )?нет", r"безосновательн\w*", r"беспочвенн\w*",
        r"не соответству\w+ действительност\w*", r"это не так", r"неправд\w*", r"ложь", r"опроверг\w*",
        r"категорически (?:не согласен|отвергаю|отвергает)", r"отнюдь (?:не|нет)",
    ),
)

_FALSE_DILEMMA = CueFamily(
    "false_dilemma",
    (
        r"no (?:effective |real |viable |other |reasonable )?alternatives?", r"without alternative",
        r"only (?:option|way|choice|guarantor|solution|path|mechanism)", r"the only",
        r"no other (?:way|choice|option|path)", r"no choice but", r"cannot do without", r"either\b.{1,60}\bor",
        r"безальтернатив\w*", r"нет (?:никакой |другой )?альтернатив\w*", r"единственн\w+ (?:вариант|путь|гарант|выход)",
        r"другого (?:пути|выхода) нет", r"либо\b.{1,60}\bлибо",
    ),
)

_EXAGGERATION_MINIMISATION = CueFamily(
    "exaggeration_minimisation",
    (
        r"(?:almost |nearly )?100\s?%", r"absolutely", r"completely", r"entirely", r"totally", r"always",
        r"never", r"no (?:single|international) (?:structure|organi[sz]ation)", r"can do without (?:them|difficulties|problems)",
        r"only (?:a little|slightly|minor)", r"minor", r"insignificant", r"merely",
        r"unprecedented", r"huge", r"enormous", r"in every possible way", r"at all", r"fully",
        r"any (?:difficulties|problems)",
        r"абсолютно", r"полностью", r"совершенно", r"никогда", r"всегда", r"всего лишь", r"незначительн\w*",
        r"беспрецедентн\w*", r"огромн\w*", r"всячески",
    ),
)

_APPEAL_TO_FEAR = CueFamily(
    "appeal_to_fear",
    (
        r"threat\w*", r"danger\w*", r"risks?", r"militari[sz]\w*", r"escalat\w*", r"instability", r"invasion",
        r"wars?", r"catastroph\w*", r"security vacuum", r"chaos", r"destabili[sz]\w*", r"spill\w* over",
        r"terroris\w*", r"extremis\w*", r"drug traffick\w*", r"bloodshed", r"conflagration", r"arms race",
        r"угроз\w*", r"опасн\w*", r"риск\w*", r"эскалац\w*", r"нестабильн\w*", r"вторжени\w*", r"войн\w*",
        r"хаос\w*", r"дестабилиз\w*", r"терроризм\w*", r"экстремизм\w*",
    ),
)

_DOUBT = CueFamily(
    "doubt",
    (
        r"allegedly", r"so-called", r"(?:does|do|did|will) not (?:protect|help|ensure|guarantee)\b[^.]{0,40}at all",
        r"questionable", r"dubious", r"it is unclear", r"(?:real|true|hidden) (?:motives|goals|intentions|aims|purpose)",
        r"under the guise", r"whatever (?:\w+ ){0,4}may promise", r"empty promises", r"is it (?:really|possible)",
        r"why (?:would|should|does|do)", r"credibility", r"can(?:not|'t) be trusted", r"pretext", r"supposedly",
        r"claims? to be", r"what (?:exactly|for)", r"so what",
        r"якобы", r"так называем\w*", r"сомнительн\w*", r"сомнени\w*", r"под видом", r"на самом деле",
        r"истинн\w+ (?:цел\w*|мотив\w*|намерени\w*)", r"вряд ли", r"пустые обещания",
    ),
)

FAMILIES: tuple[CueFamily, ...] = (
    _CSTO_MENTION,
    _CSTO_POSITIVE,
    _CSTO_NEGATIVE,
    _WEST_ACTOR,
    _WEST_POSITIVE,
    _WEST_NEGATIVE,
    _LOADED_LANGUAGE,
    _NAME_CALLING,
    _APPEAL_TO_VALUES,
    _APPEAL_TO_AUTHORITY,
    _DENIAL,
    _FALSE_DILEMMA,
    _EXAGGERATION_MINIMISATION,
    _APPEAL_TO_FEAR,
    _DOUBT,
)
"""Cue families in feature order: stance cues first, then one family per rhetoric tag."""
