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
        r"useful", r"helpful", r"valuable", r"(?:important|key|decisive|stabili[sz]ing) role", r"pillar",
        r"cornerstone", r"fulfil\w* (?:its |their )?(?:obligations|commitments|mission|tasks?|duty)",
        r"came to (?:the )?(?:aid|help|rescue)", r"responded (?:promptly|quickly|immediately|swiftly)",
        r"(?:in (?:a )?)?timely", r"robust", r"credible", r"stood by",
        r"полезн\w*", r"(?:важн\w+|ключев\w+|стабилизирующ\w+) рол\w*", r"опор\w*",
        r"выполнил\w* (?:свои )?(?:обязательств\w*|задач\w*|миссию)", r"пришл\w* на помощь", r"оперативн\w*",
        r"своевременн\w*", r"помощь", r"помог\w*", r"союзническ\w+ (?:долг\w*|обязательств\w*)",
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
        r"toothless", r"impotent\w*", r"powerless\w*", r"helpless\w*", r"hollow", r"absent", r"absence",
        r"nowhere to be (?:seen|found)", r"stood (?:idly )?by", r"looked (?:the other way|on)", r"unable to",
        r"incapable", r"did nothing", r"let (?:\w+ )?down", r"empty (?:words|promises|shell)", r"on paper",
        r"беззуб\w*", r"беспомощн\w*", r"неспособн\w*", r"не способн\w*", r"не смогл\w*", r"не справил\w*",
        r"отсутств\w*", r"ничего не (?:сделал\w*|предпринял\w*)", r"остал\w* в стороне", r"со стороны наблюдал\w*",
        r"на бумаге", r"пуст\w+ (?:слова|обещани\w*)", r"подв[её]л\w*",
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
        r"euro-atlantic", r"(?:european|eu) (?:integration|membership|observers|monitors)", r"germany", r"german",
        r"britain", r"british", r"(?-i:UK)", r"london", r"paris", r"foreign (?:powers|players|forces)",
        r"евроатлантическ\w*", r"евроинтеграц\w*", r"европ\w+", r"германи\w*", r"британи\w*", r"лондон\w*",
        r"париж\w*", r"внешн\w+ (?:сил\w*|игрок\w*)", r"извне", r"заокеанск\w+",
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
        r"(?:welcome|valuable|useful|important|positive) (?:contribution|role|presence|step)",
        r"(?:strategic|deeper|closer) (?:partnership|ties|cooperation)", r"cooperat\w*",
        r"(?:european|euro-atlantic) (?:integration|choice|aspirations|path|future)", r"observers", r"monitors",
        r"(?:balanced|multi-vector|diversified) (?:foreign )?policy", r"new opportunities", r"invest\w*",
        r"евроинтеграц\w*", r"европейск\w+ (?:интеграц\w*|выбор\w*|устремлени\w*|будущ\w*)", r"сотруднич\w*",
        r"наблюдател\w*", r"многовекторн\w*", r"инвест\w*", r"полезн\w*", r"помощ\w*",
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
        r"expansion", r"encroach\w*", r"incursion", r"intrusion", r"infiltrat\w*", r"neo-?coloni\w*",
        r"(?:sphere|zone)s? of influence", r"bridgehead", r"outpost", r"military (?:presence|bases?|infrastructure)",
        r"(?:own|their|narrow|selfish) (?:geopolitical )?(?:interests|agenda|goals)", r"instrument of", r"tool of",
        r"(?:will|would) not (?:bring|guarantee|ensure) (?:peace|security|stability)",
        r"(?:cannot|can't) (?:bring|guarantee|ensure) (?:peace|security|stability)",
        r"экспанси\w*", r"продвижени\w* (?:нато|на восток)", r"сфер\w* влияни\w*",
        r"военн\w+ (?:присутстви\w*|баз\w*|инфраструктур\w*)", r"внешн\w+ управлени\w*", r"цветн\w+ революц\w*",
        r"марионет\w*", r"(?:сво\w+|чуж\w+|корыстн\w+|узк\w+) (?:геополитическ\w+ )?(?:интерес\w*|цел\w*)",
        r"геополитическ\w+ (?:игр\w*|интерес\w*|амбици\w*|проект\w*)", r"не принес\w* мира", r"инструмент\w*",
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
        r"blatant\w*", r"flagrant\w*", r"shameless\w*", r"insolen\w*", r"arrogan\w*", r"barbar\w*", r"criminal",
        r"vile", r"nefarious", r"predatory", r"farce", r"circus", r"sham", r"charade", r"scandalous", r"disgusting",
        r"so-called", r"infamous", r"blackmail\w*", r"bullying",
        r"бесцеремонн\w*", r"нагл\w+", r"грубейш\w*", r"преступн\w*", r"фарс\w*", r"цирк\w*", r"вопиющ\w*",
        r"гнусн\w*", r"хищническ\w*", r"шантаж\w*", r"скандальн\w*", r"бессовестн\w*",
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
        r"junta", r"(?:western |american |overseas |foreign )?(?:patrons|handlers|sponsors)", r"warmongers?",
        r"hegemon\w*", r"neo-?colonial\w*", r"(?:so-called |western )?[\"“«](?:friends|allies|democrats|democracy)[\"”»]",
        r"хунт\w*", r"(?:западн\w+|заокеанск\w+|иностранн\w+) (?:покровител\w*|спонсор\w*|хозя\w*)", r"гегемон\w*",
        r"неоколониал\w*", r"поджигател\w* войны", r"так называем\w+ (?:партн[её]р\w*|друз\w*|демократ\w*)",
        r"[\"“«](?:партн[её]р\w*|друз\w*|доброжелател\w*)[\"”»]",
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
        r"freedom", r"democra\w*", r"(?:shared|common|european|universal) values", r"allied (?:duty|obligations?)",
        r"(?:brotherly|fraternal)", r"right to (?:choose|decide|determine)", r"stability and (?:security|peace)",
        r"свобод\w*", r"демократ\w*", r"ценност\w*", r"союзническ\w+ (?:долг\w*|обязательств\w*)", r"братск\w*",
        r"(?:никто|никого) (?:никому )?не (?:выкручивает|принуждает|заставляет)", r"право (?:выбирать|выбора|самим)",
        r"равн\w+ (?:права|партн[её]р\w*|основ\w*)", r"честн\w*",
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
        r"according to", r"as (?:\w+ ){0,3}(?:put it|made clear|emphasi[sz]ed|reminded)",
        r"(?:president|minister|secretary[- ]general|leaders?|chairman|spokes\w+|officials?|experts?|analysts?) (?:\w+ ){0,2}(?:said|stated|stressed|noted|emphasi[sz]ed|declared|confirmed|made clear|pointed out|assured)",
        r"unanimous\w*", r"consensus", r"(?:the )?(?:leaders|heads of state) (?:\w+ )?(?:agreed|decided|adopted|approved|confirmed|reaffirmed)",
        r"(?:declaration|charter|treaty) (?:clearly )?(?:states|says|provides)", r"world community",
        r"everyone (?:knows|agrees|understands)", r"(?:summit|council) (?:confirmed|reaffirmed|decided)",
        r"по словам", r"по мнению", r"как (?:\w+ ){0,3}(?:заявил\w*|отметил\w*|сказал\w*|подчеркнул\w*|указал\w*|говорил\w*)",
        r"(?:президент\w*|министр\w*|генсек\w*|генеральн\w+ секретар\w*|лидер\w*|глав\w+ государств\w*|эксперт\w*) (?:\w+ ){0,2}(?:заявил\w*|отметил\w*|подчеркнул\w*|говорил\w*|указал\w*|считают|полагают)",
        r"единогласно", r"консенсус\w*", r"все государства[- ]члены", r"общепризнан\w*", r"всем известно",
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
        r"ha(?:s|ve) nothing to do with", r"there (?:is|was|can be) no (?:question|talk) of",
        r"(?:dismiss\w*|reject\w*|refut\w*|rebuff\w*) (?:\w+ ){0,2}(?:claims?|accusations?|allegations?|reports?|speculation|suggestions?|criticism|charges?|fears?)",
        r"nonsense", r"rubbish", r"speculation", r"insinuation\w*", r"fabricat\w*", r"disinformation",
        r"no truth", r"contrary to (?:claims|reports|allegations|what)", r"on the contrary", r"misconception\w*",
        r"(?:is|are|was|were) not (?:leaving|abandoning|failing|the case)", r"(?:does|do|did) not (?:pursue|seek|intend)",
        r"never (?:abandoned|left|refused|failed)", r"wrong to (?:say|claim|speak)", r"(?:is|are) simply wrong",
        r"не имеет (?:ничего общего|отношения)", r"ни о как\w+ .{1,40}(?:речи|речь)", r"речь не ид[её]т",
        r"не ид[её]т речи", r"нет (?:никаких )?оснований", r"отверг\w*", r"отверга\w*", r"домысл\w*",
        r"спекуляци\w*", r"инсинуаци\w*", r"вымысел", r"выдумк\w*", r"дезинформаци\w*", r"чепух\w*", r"напротив",
        r"не (?:преследует|бросает|уходит|покидает|бросил\w*)",
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
        r"(?:have|has|will have) to choose", r"one or the other", r"there is no (?:other )?(?:way|choice)",
        r"no other (?:guarantor|mechanism|organi[sz]ation|structure|force)", r"(?:nobody|no one) else (?:will|can|is)",
        r"no one (?:but|except)", r"(?:придётся|придется|нужно|надо|должн\w+) (?:выбирать|выбрать|определиться)",
        r"(?:одно|одного) из двух", r"никто (?:другой|кроме)", r"(?:иного|другого) не дано",
        r"нет (?:других|иных) (?:механизм\w*|вариант\w*|путей|гарант\w*)", r"других (?:механизмов|вариантов) нет",
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
        r"(?:just|only|merely|simply) (?:a )?(?:few|one|some|small|minor|slight|little|technical|temporary)",
        r"a little later", r"(?:slight|minor|small|technical|temporary|working|certain) (?:difficult\w*|problems?|issues?|disagreements?|differences|delays?|hiccups?|misunderstandings?|nuances?)",
        r"nothing (?:serious|unusual|extraordinary|dramatic|terrible)", r"(?:without|has|have) (?:its |their )?(?:difficulties|problems|disagreements)",
        r"(?:absolutely|completely|fully|totally|entirely) (?:satisf\w*|fulfil\w*|successful|effective|ready|agreed|implemented)",
        r"(?:best|highest|greatest|strongest) (?:ever|in (?:its )?history)", r"like never before", r"overblown",
        r"exaggerated", r"overstated", r"all (?:is|was) (?:well|fine)",
        r"(?:небольш\w+|незначительн\w+|мелк\w+|техническ\w+|временн\w+|рабоч\w+|некотор\w+) (?:трудност\w*|проблем\w*|разноглас\w*|сложност\w*|задержк\w*|нюанс\w*)",
        r"чуть позже", r"немного позже", r"ничего (?:страшного|серь[её]зного|особенного)",
        r"не (?:может )?обходит\w* без", r"(?:почти|практически) (?:на )?100", r"преувелич\w*",
        r"(?:лишь|только|всего) (?:одн\w+|несколько|небольш\w+)",
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
        r"menace\w*", r"peril\w*", r"jeopard\w*", r"abyss", r"powder keg", r"time bomb", r"hotbed\w*",
        r"(?:could|may|might|will|would) (?:lead to|end in|result in|trigger|provoke|spark|drag)",
        r"грозит", r"грозят", r"чреват\w*", r"пороховая бочка", r"очаг\w*", r"вакуум\w*", r"под угрозой",
        r"(?:может|могут) (?:привести|обернуться|спровоцировать)",
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
        r"pretend\w*", r"ostensibl\w*", r"purported\w*", r"so to speak", r"in name only", r"on paper",
        r"(?:can|could) (?:one|we|anyone) (?:really )?(?:trust|rely|believe)", r"(?:who|what) (?:benefits|stands behind|is behind)",
        r"unable", r"incapable", r"powerless", r"toothless", r"raises? (?:serious )?(?:questions|doubts)", r"serious questions",
        r"(?:not|never|hardly) (?:even )?(?:capable|able)", r"it remains to be seen", r"really",
        r"разве", r"неужели", r"кому (?:это )?выгодно", r"мним\w*", r"показн\w*", r"декоративн\w*",
        r"на бумаге", r"(?:вызывает|вызывают) (?:вопрос\w*|сомнени\w*)", r"не способн\w*", r"неспособн\w*",
        r"беспомощн\w*", r"действительно ли",
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
