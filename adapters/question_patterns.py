"""The phrases that give a question's kind away, in English, Spanish and French.

Each pattern is searched in one sentence, lower-cased, with typographic apostrophes made
plain. They describe grammar and intent (a conditional verb, a scale, a price, our idea,
a feature wish list, a concrete next step), not particular sentences, so that a question
never seen before is read the same way. :mod:`adapters.question_rules` combines them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass


def _any(*parts: str) -> re.Pattern[str]:
    return re.compile("|".join(f"(?:{part})" for part in parts), re.IGNORECASE)


@dataclass(frozen=True)
class LanguagePatterns:
    """One language's patterns, in the order a sentence is tested."""

    rating: re.Pattern[str]
    price: re.Pattern[str]
    # A concrete ask (demo, introduction, pilot, a day) and the framing of a request.
    commitment_object: re.Pattern[str]
    commitment_ask: re.Pattern[str]
    compliment: re.Pattern[str]
    solution: re.Pattern[str]
    # The ideal/dream/perfect solution: a wish list unless it is about a real past.
    ideal: re.Pattern[str]
    leading: re.Pattern[str]
    # Strong markers of an imagined case: they make a sentence hypothetical whatever else.
    imagined: re.Pattern[str]
    # Conditional and future verbs: hypothetical unless part of a polite or past form.
    conditional: re.Pattern[str]
    # Polite request forms and softeners removed before the conditional test
    # ("Would you mind telling me…", "I'd love to hear…", "What would you say…").
    polite: re.Pattern[str]
    # A real past ("did", "last Tuesday", "would have"): a conditional verb in such a sentence
    # tells of that past ("How did you find out it wouldn't arrive?"), not of an imagined case.
    past: re.Pattern[str]
    # Our idea or product: a conditional about it is hypothetical, past or not.
    ours: re.Pattern[str]
    # Clause openings that make a question open (wh-words, "tell me", "walk me through").
    opener: re.Pattern[str]


_EN_PRODUCT = (
    r"(?:idea|concept|product|prototype|app|application|tool|design|demo|solution|mock-?up|approach"
    r"|feature|pitch|plan|service|platform|website|site|landing page|offer|offering|startup|mvp"
    r"|version|beta|dashboard|plugin|extension|bot|software|system|tracker|assistant|name|logo"
    r"|slogan|tagline|colou?r|screen|layout|interface|ui|wireframe|sketch|video|slide|deck)s?"
)
# What we made or propose: "our prototype", "the mockups I sent", "the name we picked".
_EN_OURS = (
    r"\b(?:(?:our|my)\s+(?:\w+\s+)?" + _EN_PRODUCT + r"\b"
    r"|(?:the|this|these|that|those)\s+(?:\w+\s+)?" + _EN_PRODUCT + r"\s+(?:we|i)(?:'ve| have)?\s+\w+"
    r"|(?:this|the|that) (?:idea|concept|prototype|demo|mock-?up|pitch)s?\b)"
)
_EN_DAYS = r"monday|tuesday|wednesday|thursday|friday|saturday|sunday|tomorrow|next week|this week"

ENGLISH = LanguagePatterns(
    rating=_any(
        r"\bscale\b",
        r"\b(?:0|1|one|zero)\s*(?:-|–|to|through|and)\s*(?:5|7|10|five|seven|ten|100)\b",
        r"\bout of (?:5|10|five|ten|100)\b",
        r"\b(?:rate|rank|score|grade|mark)\b (?:it|this|that|them|these|those|your|our|how|the|from"
        r"|on|each|us"
        r"|yourself)\b",
        r"\bgive (?:it|us|this|that|them|our \w+) an? (?:score|rating|grade|mark|number)\b",
        r"\b(?:what|which) (?:score|rating|grade|mark|number)\b[^?]*\b(?:give|put|assign)\b",
        r"\bhow (?:satisfied|dissatisfied)\b",
        r"\b(?:very|extremely|quite|fairly|somewhat|slightly|a little|not at all)\b[^?]*\bor\b[^?]*"
        r"\b(?:very|somewhat|slightly|a little|not at all|not really|extremely)\b",
        r"\bhow many stars\b",
        r"\bhow likely\b",
        r"\b(?:strongly )?(?:agree|disagree) or (?:strongly )?(?:agree|disagree)\b",
        r"\bnps\b",
    ),
    price=_any(
        r"\b(?:would|'d|might|will|could|should)\s+(?:you|they|your \w+|your team|the company|anyone)\s+"
        r"(?:\w+\s+)?(?:pay|spend|budget|invest|fork out|shell out)\b",
        r"\b(?:you|they)'d (?:\w+ )?(?:pay|spend|budget|invest)\b",
        r"\b(?:willing|prepared|ready|happy) to (?:pay|spend|invest)\b",
        r"\bexpect to pay\b",
        r"\b(?:what|which) (?:price|pricing|price point|subscription)\b",
        r"\bprice (?:feels|seems|sounds|would|is fair|is right|point)\b",
        r"\b(?:fair|reasonable|right|acceptable|good|sensible|ok|okay) price\b",
        r"\bhow (?:should|would|do you think) we (?:price|charge)\b",
        r"\bworth (?:it )?to you\b",
        r"\b(?:would|'d) (?:it|this|that|such a \w+|a \w+ like (?:this|that|ours)) be worth\b",
        r"\bhow much (?:is|would) (?:it|this|that|our \w+|a \w+) (?:be )?worth\b",
        r"\b(?:basic|pro|premium|enterprise|starter|free|team) (?:plan|tier|package|version)\b",
        r"\b(?:plans?|tiers?|packages?|options?|subscriptions?|editions?)\b[^?]*(?:\$|€|£"
        r"|\d+\s?(?:euros?|dollars?"
        r"|pounds?|bucks|a month|per month|/month))",
        r"(?:\$|€|£)\s?\d[^?]*\b(?:too much|too expensive|expensive|cheap|fair|reasonable|a month|per month"
        r"|a year|per year|per seat|per user)\b",
        r"\b\d+\s?(?:\$|€|£|euros?|dollars?|pounds?|bucks)\b[^?]*\b(?:too much|expensive|cheap|fair"
        r"|reasonable|a month|per month|a year|per year|per seat|per user)\b",
        r"\bhow much (?:would|might|could|will) (?:you|it|this|that|a \w+|our \w+)[^?]*"
        r"\b(?:cost|pay|spend|charge|budget)\b",
        r"\bafford\b[^?]*\b(?:it|this|that|our|tool|app|service)\b",
    ),
    commitment_object=_any(
        r"\bdemo\b",
        r"\bdemonstration\b",
        r"\b(?:call|meeting|slot|session|chat)\b[^?]*\b(?:" + _EN_DAYS + r"|next|minutes?|at \d)\b",
        r"\b(?:" + _EN_DAYS + r")\b",
        r"\bat \d{1,2}(?::\d\d)?\s?(?:am|pm|h)?\b",
        r"\b\d{1,2}\s?(?:am|pm)\b",
        r"\bpilot\b",
        r"\btrial\b",
        r"\b(?:real|own|actual|live) (?:data|invoices|orders|numbers|accounts|files)\b",
        r"\bintroduc(?:e|tion|ing)\b",
        r"\bintro\b",
        r"\bput (?:me|us) in touch\b",
        r"\bconnect (?:me|us) with\b",
        r"\bloop (?:me|us) in\b",
        r"\bpre-?order\b",
        r"\bdeposit\b",
        r"\bletter of intent\b",
        r"\bsign (?:up|on)\b[^?]*\b(?:pilot|beta|early|waitlist|today|now|list)\b",
        r"\bearly (?:version|access|build)\b",
        r"\bprototype\b",
        r"\b(?:send|forward|email|lend)\s+(?:me|us)\b[^?]*\b(?:schedule|data|file|spreadsheet|export"
        r"|invoice|order|email|numbers|list|contact|copy|sample|report|document|access|login"
        r"|template|statement)s?\b",
        r"\bforward\b",
    ),
    commitment_ask=_any(
        r"\b(?:can|could|may|shall|might) (?:i|we)\b(?! ask\b)",
        r"\b(?:would|could|will|are|were) you (?:be )?(?:up for|open to|free|available|willing to|able to"
        r"|happy to|ok with|okay with|down for|game for)\b",
        r"\b(?:would|could|will|can) you (?:introduce|connect|put|loop|join|book|give|set aside|spare|forward"
        r"|try|run|share|bring|send|commit|sign|pre-?order|pay a deposit)\b",
        r"\bhow about\b",
        r"\bwhen (?:can|could|would|shall) (?:we|you|i)\b",
        r"\bwhat (?:day|time|date)\b",
        r"\bwho (?:could|can|would|should) (?:i|we)\b",
        r"\bwho (?:could|can|would) (?:introduce|connect|put)\b",
        r"\bdoes (?:" + _EN_DAYS + r")\b",
        r"\bis (?:" + _EN_DAYS + r")\b",
        r"\blet'?s (?:book|set|schedule|find)\b",
    ),
    compliment=_any(
        r"\b(?:think|feel|thoughts?|opinion|impressions?|reaction|feedback|take|view|like|love|enjoy|dislike"
        r"|hate|prefer|impress\w*|excit\w*|appeal\w*|stand out|stood out)\b[^?]*" + _EN_OURS,
        _EN_OURS + r"[^?]*\b(?:good|great|cool|useful|helpful|interesting|promising|exciting|appealing"
        r"|impressive|nice|valuable|like|love|impress\w*|excit\w*|appeal\w*|stand out|stood out"
        r"|think|feel)\b",
        r"\bhow (?:do|did) you (?:like|feel about) (?:it|this|that|our|the idea)\b",
        r"\b(?:does|did) (?:it|this|that|the idea|the concept) (?:sound|look|seem)\b",
        r"\b(?:sounds?|looks?|seems?) (?:good|great|cool|useful|interesting|promising|helpful"
        r"|exciting|nice)\b",
        r"\bis (?:it|this|that) (?:any good|good|great|useful|helpful|interesting|cool|a good idea)\b",
        r"\bhow (?:excited|enthusiastic|impressed)\b",
        r"\b(?:excited|impressed) (?:about|by|with)\b",
        r"\brecommend (?:us|it|our|this)\b",
        r"\bhow (?:great|cool|nice|amazing|awesome|good|helpful|useful|wonderful|fantastic|valuable) would"
        r" (?:it|that|this) be\b",
        r"\bwhat (?:do|did) you (?:think|make) of (?:it|this|that)\b",
        r"\bwhat do you think\s*(?:[,?]|$)",
        r"\bwhat'?s your (?:gut )?(?:reaction|first impression)\b",
        r"\bfirst impressions?\b",
    ),
    solution=_any(
        r"\b(?:what|which) (?:\w+ )?(?:features?|functionality|functions|capabilities|integrations"
        r"|options)\b",
        r"\bfeatures? (?:should|would|do you (?:want|need)|you'?d? (?:want|need|like)|matter)\b",
        r"\bshould (?:we|i) (?:build|add|make|include|focus on|prioriti[sz]e|design|offer|start with)\b",
        r"\b(?:what|how) (?:would|should) we (?:build|add|make|design|improve|change)\b",
        r"\bmagic wand\b",
        r"\bwhat (?:would|should|must|could) (?:it|the \w+|a \w+|such a \w+|our \w+"
        r"|a good \w+) (?:need to |have"
        r" to )?(?:do|have|include|offer|look like|contain|support)\b",
        r"\bhow should (?:it|we|the \w+) (?:work|look|behave)\b",
        r"\bmust-?haves?\b",
        r"\bnice-to-haves?\b",
        r"\bwish ?list\b",
        r"\bwhat (?:would|'d) you (?:add|build|design|improve|want (?:it|the \w+|us|a \w+) to)\b",
        r"\bwhat would make (?:it|this|the \w+|our \w+|a \w+) (?:better|perfect|great|more useful|easier)\b",
        r"\bif you (?:were|could) (?:design|build|create|make)\w*\b",
        r"\bdesign (?:the|your|a|an|our) (?:\w+ )?(?:tool|solution|app|product|system|feature)\b",
        r"\bwhat do you want (?:it|the \w+|us|a \w+) to\b",
        r"\bwhat (?:would|'d) you (?:like|want) (?:to see|in a|from a|us to|it to)\b",
        r"\bwhat do you wish (?:it|your \w+|the \w+|there)\b",
        r"\bwhat (?:should|would|must|could) (?:the|a|an|our|your|this|such an?) (?:\w+ )?"
        + _EN_PRODUCT
        + r" (?:\w+)",
    ),
    ideal=_any(
        r"\b(?:your|the|an|a|my|our) (?:ideal|dream|perfect)\b",
        r"\b(?:ideal|dream|perfect) (?:solution|tool|product|app|system|software|platform|way|setup|process"
        r"|version|service|assistant|dashboard|workflow)\b",
    ),
    leading=_any(
        r"^(?:so |and |but |well |now |then )?(?:don't|doesn't|didn't|isn't|aren't|wasn't|weren't|wouldn't"
        r"|won't|shouldn't|can't|couldn't|haven't|hasn't|hadn't|ain't)\b",
        r"\bsurely\b",
        r"\bobviously\b",
        r"\bof course\b[^?]*\?",
        r"\b(?:don't|wouldn't|won't|doesn't) you (?:think|agree|feel|find|say|want|hate|love|prefer)\b",
        r"\bisn't (?:it|that|this) (?:true|frustrating|annoying|painful|obvious|a pain|awful|terrible)\b",
        r",\s*(?:right|correct|yes|no|yeah|true|isn't it|aren't they|don't you|doesn't it|didn't it"
        r"|didn't you"
        r"|wouldn't you|won't you|isn't that so|am i right|you know|huh|eh|wouldn't it|is it not|don't they"
        r"|aren't you|haven't you|can't you)\s*\?",
        r"\b(?:right|correct)\s*\?\s*$",
        r"\bwhy (?:is|are|was|were|does|do|did)\b[^?]*\b(?:so|such an?)\s+(?:bad|broken|slow|hard"
        r"|painful|annoying|frustrating|terrible|awful|complicated|difficult|expensive|messy|confusing"
        r"|unreliable|inefficient|outdated|clunky|useless|poor|ugly|tedious|stressful|chaotic|awkward)\b",
        r"\beveryone (?:hates|knows|agrees|says|struggles|complains|finds)\b",
        r"\bwe all know\b",
        r"\b(?:most|all) (?:people|companies|teams|businesses|users) (?:hate|agree|say|find|struggle|know)\b",
        r"\b(?:no one|nobody) (?:likes|enjoys|wants)\b",
        r"\bas you (?:know|said|must know)\b[^?]*\?",
        r"\bgiven (?:how|that|the)\b[^?]*\b(?:you'd|you would|you must|surely|wouldn't|don't)\b",
        r"\bhow (?:frustrating|annoying|painful|terrible|awful|horrible|stressful|exhausting"
        r"|tedious|maddening"
        r"|infuriating|much of a pain|much of a nightmare|bad) (?:is|was|are|were|must|does|did|has)\b",
        r"\bmust (?:be|have been) (?:so )?(?:frustrating|annoying|hard|painful|tough|a pain|awful|terrible"
        r"|stressful|a nightmare)\b",
        r"\bdo you (?:agree|love|hate|enjoy|dread)\b",
        r"\bagree that\b",
        r"\bi (?:bet|guess|assume|suppose|imagine)\b",
        r"\bhow (?:much|great|amazing)\b.*\b(?:like|love)\b",
        r"\b(?:the worst|a nightmare|a disaster|a total mess)\b[^?]*\?",
        r"\b(?:you must|you probably|i'm sure you)\b",
    ),
    imagined=_any(
        r"\bimagine\b",
        r"\bpicture (?:a|an|this|yourself|the|that|it|how|your)\b",
        r"\b(?:a|one|two|three|five|ten|\d+) (?:years?|months?|weeks?) from now\b",
        r"\bsuppos(?:e|ing)\b",
        r"\blet'?s say\b",
        r"\bsay (?:we|you|there was|there were|a|an|that)\b",
        r"\bpretend\b",
        r"\bhypothetical(?:ly)?\b",
        r"\bwhat if\b",
        r"\bin (?:the|a few|five|ten|two|three|\d+) (?:future|years?|months?' time)\b",
        r"\bin (?:the )?future\b",
        r"\bone day\b",
        r"\bsomeday\b",
        r"\bdown the (?:road|line)\b",
        r"\bif (?:you|we|there|a|an|it|this|our|your|someone|somebody|they|i|the|such|something|anything)\b"
        r"[^?]*\b(?:would|'d|could|might|will|'ll|were|existed|had|did|built|launched|made|offered)\b",
        r"\b(?:would|'d|could|might)\b[^?]*\bif\b",
        r"\bcould you see yourself\b",
        r"\bwhat are the (?:chances|odds)\b",
        r"\b(?:are|were) you (?:going|planning|likely) to\b",
        r"\bgoing to\b",
        r"\bgonna\b",
        r"\bplan(?:ning)? to (?:buy|switch|use|try|adopt|change|hire|replace|invest)\b",
    ),
    conditional=_any(
        r"\bwould\b",
        r"\bwouldn't\b",
        r"\b(?:you|i|we|they|it|that|who|what|how|where|he|she|there|this)'d\b(?!\s+(?:been|had|already|never"
        r"|just|gone|done|seen|tried|\w+ed)\b)",
        r"\b(?:will|won't|'ll) (?:you|it|this|that|they|your|our|the|a|we)\b",
        r"\b(?:you|it|this|that|they|we)(?:'ll| will)\b",
        r"\bmight (?:you|it|this|that|they|your|our|we|\w+ \w+)?\s*(?:\w+)",
        r"\bwhat will\b",
        r"\bwhen will\b",
        r"\bcould (?:it|this|that|our \w+|a \w+|such a \w+) (?:help|save|work|change|make|fix|solve)\b",
    ),
    polite=_any(
        r"\b(?:would|could|can|will|might) you (?:please )?(?:mind|tell|walk|describe|explain|talk|share|show"
        r"|say|summari[sz]e|list|give|take|go through|run through|recall|remember|estimate|elaborate|expand"
        r"|help me understand|paint|sketch|recount|outline|clarify|be willing to (?:share|tell|walk|describe)"
        r"|be able to (?:share|tell|walk|describe|explain)|be so kind)\b",
        r"\b(?:would|could|can|will) you (?:please )?(?:let me know|fill me in|give me an example)\b",
        r"\bmay i ask\b",
        r"\bcan i ask\b",
        r"\b(?:i|we)(?:'d| would) (?:like|love|be (?:curious|grateful|glad|interested|keen)|appreciate)\b",
        r"\b(?:would|'d) (?:like|love|want) to (?:add|share|tell|mention|say|talk|ask|discuss|cover|go back"
        r"|come back|know|hear)\b",
        r"\b(?:would|'d) you say\b",
        r"\bwhat would you (?:usually|typically|normally|generally)\b",
        r"\b(?:hop|expect|thought|think|assum|want|wish|plann|promis|decid|told|said|knew|believ|guess)\w*"
        r" (?:it |that |they |this |he |she |we |things |everything )?(?:would|'d)\b",
        r"\bwho(?: else)?\b(?:(?!\byou\b)[^?,])*?\bwould\b(?! (?:use|buy|pay|want|like|try|love|switch|sign"
        r"|choose))",
    ),
    past=_any(
        r"\b(?:did|didn't|was|wasn't|were|weren't|had|hadn't|you've|they've|we've|used to|ago|yesterday"
        r"|back then|earlier)\b",
        r"\b(?:would|wouldn't|could|couldn't|might|should)(?: you| they| we| it)? have\b",
        r"\b'd have\b",
        r"\blast (?:time|week|month|year|quarter|night|monday|tuesday|wednesday|thursday|friday|saturday"
        r"|sunday|spring|summer|autumn|fall|winter|season|order|delivery|invoice)\b",
        r"\bhave (?:you|they|we) (?:ever )?\w+(?:ed|en|t)\b",
    ),
    ours=_any(
        _EN_OURS,
        r"\b(?:a|such a) (?:\w+ )?(?:tool|app|service|product|solution) like (?:this|that|ours|it)\b",
    ),
    opener=_any(
        r"(?:^|[,:;—–-]\s*|\b(?:and|so|but|then|now|also|well)\s+)(?:what|what's|whats|how|how's|why|when"
        r"|where|who|who's|whom|whose|which)\b",
        r"\b(?:tell|walk|talk|take) (?:me|us)\b",
        r"\b(?:describe|explain|share|show me|give me|go through|run me through|help me understand"
        r"|fill me in|remind me)\b",
    ),
)


_ES_PRODUCT = (
    r"idea|concepto|producto|prototipo|app|aplicación|herramienta|diseño|demo|solución|propuesta"
    r"|maqueta|función|plataforma|servicio|web|página|versión|plan|sistema|asistente"
)
_ES_DAYS = (
    r"lunes|martes|miércoles|jueves|viernes|sábado|domingo|mañana|la semana que viene|la próxima semana"
)

SPANISH = LanguagePatterns(
    rating=_any(
        r"\bescala\b",
        r"\b(?:del?|entre el) (?:0|1|uno|cero) (?:al?|y el) (?:5|10|cinco|diez)\b",
        r"\bsobre (?:5|10|cinco|diez)\b",
        r"\b(?:puntúa|puntuarías|puntuaría|puntuación|califica|calificarías|valorarías|nota del|qué nota)\b",
        r"\b(?:qué tan|cuán|cómo de) satisfech[oa]s?\b",
        r"\bnivel de satisfacción\b",
        r"\b(?:muy|bastante|algo|poco|nada)\b[^?]*\bo\b[^?]*\b(?:nada|muy|algo|poco)\b",
        r"\bestrellas\b",
    ),
    price=_any(
        r"\bpagar(?:ía|ías|íamos|ían)\b",
        r"\bdispuest[oa]s? a (?:pagar|gastar|invertir)\b",
        r"\bcuánto (?:pagar|gastar|invertir)\w*",
        r"\b(?:gastar|invertir)(?:ía|ías|íamos|ían)\b",
        r"\bqué precio\b",
        r"\bprecio (?:justo|razonable|adecuado|correcto|aceptable)\b",
        r"\bcuánto (?:vale|valdría|costaría|cobrar\w*)\b",
        r"\b(?:valdría|costaría)\b",
        r"\bplan (?:básico|pro|premium|gratuito|empresa)\b",
        r"\bqué plan\b",
        r"(?:€|\$|euros|dólares)[^?]*\bal (?:mes|año)\b",
        r"\bpresupuesto para (?:una|un|esto|esta|este|nuestr)\w*",
    ),
    commitment_object=_any(
        r"\bdemo\b",
        r"\bdemostración\b",
        r"\b(?:llamada|reunión|videollamada|cita|hueco)\b",
        r"\b(?:" + _ES_DAYS + r")\b",
        r"\ba las \d{1,2}\b",
        r"\bpiloto\b",
        r"\bprueba (?:con|gratuita)\b",
        r"\bdatos reales\b",
        r"\btus (?:propios )?datos\b",
        r"\bpresent(?:ar|arte|arme|arnos|es|arías|aría)\b",
        r"\bponer(?:me|nos)? en contacto\b",
        r"\bpreventa\b",
        r"\breserva(?:r)?\b",
        r"\bprototipo\b",
        r"\bversión (?:temprana|beta|inicial)\b",
        r"\b(?:envíame|envíanos|mándame|mándanos|reenvía|reenviar|reenviarías|enviarme|enviarnos|mandarme"
        r"|pasarme|compartir conmigo)\b",
    ),
    commitment_ask=_any(
        r"\b(?:puedo|podría|podemos|podríamos)\b(?! preguntar)",
        r"\b(?:te|le|os) (?:viene|va|parece|encaja|cuadra)\b",
        r"\bestarías dispuest[oa]|\bestaría dispuest[oa]",
        r"\bte animas\b",
        r"\b(?:quieres|querrías|aceptarías)\b",
        r"\b(?:me|nos) (?:presentas|presentarías|pondrías|pones)\b",
        r"\bquién (?:podría|puede)\b",
        r"\bcuándo (?:podemos|podríamos|te viene|nos vemos)\b",
        r"\bqué (?:día|hora)\b",
    ),
    compliment=_any(
        r"\bqué (?:te|le|os) (?:parece|parecen|pareció)\b[^?]*\b(?:nuestr\w+|mi|esta|este|la"
        r"|el)\s+(?:\w+\s+)?"
        r"(?:" + _ES_PRODUCT + r")\b",
        r"\bqué (?:opinas|opina|piensas|piensa|pensáis)\b[^?]*\b(?:de|sobre) (?:nuestr\w+|mi|esta"
        r"|este|la|el)\s+"
        r"(?:\w+\s+)?(?:" + _ES_PRODUCT + r")\b",
        r"\b(?:gusta|gustó|encanta)\b[^?]*\b(?:nuestr\w+|mi) (?:\w+ )?(?:" + _ES_PRODUCT + r")\b",
        r"\b(?:te|le) gusta (?:la|el|esta|este) (?:idea|producto|prototipo|app|herramienta|concepto)\b",
        r"\b(?:suena|parece|te parece) (?:bien|interesante|útil|genial|buena idea|prometedor)\b",
        r"\b(?:nuestr\w+|mi) (?:\w+ )?(?:"
        + _ES_PRODUCT
        + r")\b[^?]*\b(?:buen[oa]|genial|útil|interesante)\b",
        r"\brecomendarías\b",
        r"\bqué impresión\b",
    ),
    solution=_any(
        r"\bqué (?:funciones|funcionalidades|características|integraciones|opciones)\b",
        r"\b(?:funciones|funcionalidades|características) (?:debería|deberíamos|quieres|querrías"
        r"|necesitas)\b",
        r"\bqué deberíamos (?:construir|añadir|incluir|hacer|desarrollar|mejorar)\b",
        r"\bvarita mágica\b",
        r"\bqué te gustaría que (?:hiciera|tuviera|incluyera|ofreciera)\b",
        r"\bqué (?:le )?(?:añadirías|cambiarías|mejorarías|incluirías)\b",
        r"\bsi (?:tú )?(?:diseñaras|pudieras diseñar|construyeras)\b",
        r"\bcómo debería (?:ser|funcionar)\b",
        r"\bqué debería (?:hacer|tener|incluir)\b",
    ),
    ideal=_any(
        r"\b(?:ideal|ideales|soñad[oa]s?)\b",
        r"\b(?:herramienta|solución|app|aplicación|sistema|producto) (?:ideal|perfecta|perfecto|soñad[oa])\b",
        r"\bde tus sueños\b",
        r"\b(?:tu|la|el|una|un) (?:ideal|perfect[oa])\b",
    ),
    leading=_any(
        r"^(?:y |pero |entonces )?¿?no (?:crees|cree|te parece|le parece|es|sería|está|estás|odias"
        r"|piensas)\b",
        r"\b(?:verdad|cierto|no|sí)\s*\?\s*$",
        r"\bseguro que\b",
        r"\bsin duda\b",
        r"\bobviamente\b",
        r"\btodo el mundo (?:odia|sabe|dice|está)\b",
        r"\btodos sabemos\b",
        r"\bpor qué (?:es|está|son|están)\b[^?]*\btan (?:malo|mala|roto|rota|lento|lenta|difícil"
        r"|complicad[oa]|car[oa]|pesad[oa]|frustrante|desastros[oa]|terrible|horrible|ineficiente)\b",
        r"\b(?:qué|lo) (?:frustrante|molesto|pesado|horrible|terrible)\b",
        r"\bdebe (?:de )?ser (?:muy )?(?:frustrante|molesto|duro|horrible)\b",
        r"\bestás de acuerdo\b",
        r"\b(?:odias|detestas)\b",
    ),
    imagined=_any(
        r"\bimagin(?:a|ate|emos|e|ad)\b",
        r"\bsupón\b|\bsupongamos\b|\bpongamos que\b|\bdigamos que\b",
        r"\bqué pasaría si\b",
        r"\by si\b",
        r"\ben el futuro\b",
        r"\bdentro de (?:un|dos|cinco|\d+) (?:años?|meses)\b",
        r"\bsi (?:tuvieras|pudieras|existiera|hubiera|fuera|lanzáramos|tuviéramos|hiciéramos|ofreciéramos"
        r"|te ofreciéramos|tuviese|pudiese|existiese)\b",
        r"\b(?:vas|va|vais|van) a (?:usar|comprar|cambiar|contratar|probar|pagar|hacer|necesitar)\b",
        r"\bqué probabilidad\b",
        r"\bte ves (?:usando|utilizando)\b",
    ),
    conditional=_any(
        # A noun ending in -ría ("la gestoría", "una cafetería") follows a determiner; a verb does not.
        r"(?<!\bla )(?<!\blas )(?<!\buna )(?<!\bunas )(?<!\bmi )(?<!\btu )(?<!\bsu )(?<!\bmis )(?<!\btus )"
        r"(?<!\bsus )(?<!\besta )(?<!\besa )(?<!\bnuestra )\b\w+r(?:ía|ías|íamos|íais|ían)\b"
        r"(?<!mayoría)(?<!categoría)(?<!teoría)(?<!alegría)",
        r"\b\w+r(?:ás|á|emos|éis|án)\b",
    ),
    polite=_any(
        r"\b(?:me )?(?:podrías|podría|puedes|puede|podéis)(?: tú| usted)? (?:contar|explicar|describir|decir"
        r"|hablar|enseñar|guiar|detallar|recordar|relatar)\w*",
        r"\b(?:te|le) importaría\b",
        r"\bpuedo preguntar\w*",
        r"\bme (?:gustaría|encantaría)\b",
        r"\bnos (?:gustaría|encantaría)\b",
        r"\bdirías\b",
        r"\b(?:esperabas|pensabas|creías|creíste|pensaste|sabías|dijeron|dijo) que \w*r(?:ía|ían|ías)\b",
        r"\bquién(?: más)?\b(?:(?!\b(?:tú|usted)\b)[^?,])*?\b(?:sabría|podría|tendría|debería)\b",
    ),
    past=_any(
        r"\b(?:última vez|ayer|antes de que|la semana pasada|el mes pasado|el año pasado|en aquel momento)\b",
        r"\bhace (?:un|una|unos|unas|dos|tres|\d+)\b",
        r"\b\w+(?:aste|iste|aron|ieron|ábamos)\b",
        r"\b\w{2,}(?:ó|ió)\b",
        r"\b\w+(?:aba|abas|aban)\b",
        r"\b\w*[^r\W](?:ía|ías|ían)\b",
        r"\b(?:fue|fuiste|era|eras|estaba|estabas|hubo|había|habías)\b",
        r"\bhabr(?:ía|ías) \w+(?:ado|ido)\b",
        r"\b\w+r(?:ía|ías|íamos|ían) haber(?:te|le|me|nos)?\b",
    ),
    ours=_any(
        r"\bnuestr[oa]s? (?:\w+ )?(?:" + _ES_PRODUCT + r")\b",
        r"\buna? (?:herramienta|app|aplicación|servicio|producto|solución) (?:así|como (?:esta|este"
        r"|la nuestra))\b",
    ),
    opener=_any(
        r"(?:^|[,:;¿—–-]\s*|\b(?:y|entonces|pero|también)\s+)(?:qué|que|cómo|como|por qué|porque|cuándo"
        r"|cuando|dónde|donde|quién|quien|quiénes|cuál|cuáles|cuánto|cuánta|cuántos|cuántas|cuanto)\b",
        r"\b(?:cuéntame|cuénteme|cuéntanos|háblame|hábleme|descríbeme|descríbame|descríbenos|explícame"
        r"|explíqueme|dime|dígame|describe|explica|enséñame|guíame)\b",
        # An accent marks a Spanish wh-word as interrogative wherever it stands ("¿A quién conoces…?").
        r"\b(?:qué|cómo|cuándo|dónde|quién|quiénes|cuál|cuáles|cuánt[oa]s?)\b",
    ),
)


_FR_PRODUCT = (
    r"idée|concept|produit|prototype|application|appli|app|outil|design|démo|solution|proposition"
    r"|maquette|fonctionnalité|plateforme|service|site|version|offre|logiciel|système|assistant"
)
_FR_DAYS = r"lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche|demain|la semaine prochaine|cette semaine"

FRENCH = LanguagePatterns(
    rating=_any(
        r"\béchelle\b",
        r"\bde (?:0|1|un|zéro) à (?:5|10|cinq|dix)\b",
        r"\bsur (?:5|10|cinq|dix)\b",
        r"\b(?:note|noter|notez|noteriez|évaluer|évalueriez|évaluez)\b",
        r"\b(?:à quel point|dans quelle mesure) (?:êtes-vous|vous êtes|es-tu) satisfait",
        r"\bniveau de satisfaction\b",
        r"\b(?:très|assez|plutôt|peu|pas du tout)\b[^?]*\bou\b[^?]*\b(?:pas du tout|très|peu|assez)\b",
        r"\bétoiles\b",
    ),
    price=_any(
        r"\b(?:paieriez|payeriez|paierais|payerais|paierait|payerait|dépenseriez|investiriez|mettriez)\b",
        r"\bprêts? à (?:payer|dépenser|investir|mettre)\b",
        r"\bprête?s? à (?:payer|dépenser|investir|mettre)\b",
        r"\bquel prix\b",
        r"\bprix (?:juste|raisonnable|acceptable|correct|honnête)\b",
        r"\bcombien (?:ça|cela|ceci) (?:vaudrait|coûterait|vaut)\b",
        r"\b(?:vaudrait|coûterait)\b",
        r"\b(?:formule|offre|abonnement) (?:basique|pro|premium|gratuite|entreprise)\b",
        r"\bquelle (?:formule|offre)\b",
        r"(?:€|\$|euros|dollars)[^?]*\bpar (?:mois|an)\b",
        r"\bbudget pour (?:un|une|cet|cette|ce|notre)\b",
    ),
    commitment_object=_any(
        r"\bdémo\b",
        r"\bdémonstration\b",
        r"\b(?:appel|rendez-vous|réunion|visio|créneau)\b",
        r"\b(?:" + _FR_DAYS + r")\b",
        r"\bà \d{1,2}\s?h\b",
        r"\bpilote\b",
        r"\bessai\b",
        r"\b(?:vraies|propres|réelles) données\b",
        r"\bdonnées réelles\b",
        r"\bprésent(?:er|ez|eriez|ation)\b",
        r"\bmettre en (?:contact|relation)\b",
        r"\bprécommande\b",
        r"\bréserver\b",
        r"\bprototype\b",
        r"\bversion (?:bêta|beta|préliminaire)\b",
        r"\b(?:m'envoyer|nous envoyer|me transférer|nous transférer|envoyez-moi|transférez"
        r"|transférer|m'envoyez"
        r"|me faire suivre|partager avec moi)\b",
    ),
    commitment_ask=_any(
        r"\b(?:puis-je|pourrais-je|pourrions-nous|peut-on|pouvons-nous|je peux|on peut|je pourrais"
        r"|nous pourrions)\b(?! vous demander)",
        r"\b(?:seriez-vous|êtes-vous|serais-tu|es-tu) (?:prête?s?|d'accord|disponibles?|partante?s?"
        r"|ouverte?s?)\b",
        r"\b(?:accepteriez-vous|voudriez-vous|pourriez-vous)\b",
        r"\b(?:me|nous) présenteriez-vous\b",
        r"\bqui pourrait\b",
        r"\bquand (?:pourrions|pourrait|pouvons)\b",
        r"\bquel (?:jour|créneau|moment)\b",
        r"\b(?:ça|cela) vous (?:irait|va|convient|conviendrait)\b",
    ),
    compliment=_any(
        r"\b(?:pensez|penses|dites)[- ](?:vous|tu)?[^?]*\b(?:de|sur) (?:notre|mon|ma|cette|ce|cet"
        r"|l'|la|le)\s*"
        r"(?:\w+\s+)?(?:" + _FR_PRODUCT + r")\b",
        r"\bque pensez-vous de\b|\bqu'en pensez-vous\b",
        r"\b(?:aimez|aimes|plaît|plaisent|adorez)\b[^?]*\b(?:notre|mon|ma|cette|ce|cet|l')\s*(?:\w+\s+)?"
        r"(?:" + _FR_PRODUCT + r")\b",
        r"\b(?:ça|cela) vous (?:plaît|plairait|semble|paraît) (?:bien|intéressant|utile|génial)?\b",
        r"\b(?:avis|impression|retour) sur (?:notre|mon|ma|cette|ce|cet|l'idée|le|la)\b",
        r"\brecommanderiez\b",
        r"\b(?:notre|mon|ma) (?:\w+ )?(?:"
        + _FR_PRODUCT
        + r")\b[^?]*\b(?:bien|bonne|génial|utile|intéressant|plaît|plairait|aimez|aimeriez|convient|séduit)",
    ),
    solution=_any(
        r"\bquelles? (?:fonctionnalités|fonctions|options|intégrations)\b",
        r"\bfonctionnalités (?:devrions|voudriez|souhaiteriez|aimeriez|attendez)\b",
        r"\bque devrions-nous (?:construire|ajouter|développer|faire|inclure)\b",
        r"\bbaguette magique\b",
        r"\bqu'aimeriez-vous que\b",
        r"\bqu'(?:ajouteriez|amélioreriez|changeriez)-vous\b",
        r"\bsi vous (?:conceviez|deviez concevoir|pouviez concevoir|construisiez)\b",
        r"\bà quoi (?:ressemblerait|devrait ressembler)\b",
        r"\bque devrait (?:faire|avoir|inclure)\b",
    ),
    ideal=_any(
        r"\b(?:idéale?s?|rêvée?s?)(?!\w)",
        r"\b(?:outil|solution|application|logiciel|système|produit) (?:idéale?|parfaite?|rêvée?)\b",
        r"\bde vos rêves\b",
        r"\b(?:votre|l'|un|une) (?:idéal|idéale|parfait|parfaite)\b",
    ),
    leading=_any(
        r"^(?:et |mais |alors )?(?:ne |n')\w+(?:-vous|-tu|-il|-elle|-ce)\b",
        r"\bn'est-ce pas\b",
        r",\s*(?:non|hein|pas vrai|vrai|n'est-ce pas|d'accord)\s*\?\s*$",
        r"\bsûrement\b",
        r"\bforcément\b",
        r"\bévidemment\b",
        r"\btout le monde (?:déteste|sait|dit|trouve)\b",
        r"\bnous savons tous\b|\bon sait tous\b",
        r"\bpourquoi\b[^?]*\b(?:si|aussi|tellement) (?:mauvais|mauvaise|cassé|lent|lente|compliqué|compliquée"
        r"|pénible|cher|chère|frustrant|désastreux|terrible|horrible|inefficace)\b",
        r"\b(?:c'est|ce doit être|ça doit être) (?:tellement |vraiment )?(?:frustrant|pénible|horrible"
        r"|terrible)\b[^?]*\?",
        r"\bêtes-vous d'accord\b",
        r"\b(?:détestez|haïssez)\b",
    ),
    imagined=_any(
        r"\bimagin(?:ez|ons|e)\b",
        r"\bsupposons\b|\bmettons que\b|\bdisons que\b",
        r"\bet si\b",
        r"\bà l'avenir\b|\bdans le futur\b",
        r"\bdans (?:un|deux|cinq|\d+) (?:ans?|mois)\b",
        r"\bsi (?:vous aviez|vous pouviez|vous étiez|on|nous|un outil|une solution|il existait|il y avait"
        r"|vous disposiez|tu avais|tu pouvais)\b",
        r"\b(?:allez-vous|vous allez|vas-tu|tu vas)\s+\w+(?:er|ir|re)\b",
        r"\bquelle (?:probabilité|chance)\b",
        r"\bvous voyez-vous\b",
    ),
    conditional=_any(
        # A noun ending in -rait ("le retrait", "un portrait") follows a determiner; a verb does not.
        r"(?<!\ble )(?<!\bun )(?<!\bdu )(?<!\bce )(?<!\bson )(?<!\bmon )(?<!\bton )(?<!\bvotre )"
        r"(?<!\bnotre )(?<!\bau )(?<!\bles )(?<!\bdes )(?<!\bvos )\b\w+(?:rais|rait|rions|riez|raient)\b",
        r"\b\w+(?:erez|erons|eront)\b",
        r"\b(?:pourrez|ferez|serez|aurez|irez|viendrez|verrez|saurez|voudrez|devrez)\b",
    ),
    polite=_any(
        r"\b(?:pourriez|pourrais|voudriez|voudrais)[- ](?:vous|tu)? ?(?:bien )?(?:me "
        r"|nous )?(?:raconter|décrire"
        r"|expliquer|dire|parler|montrer|détailler|guider|rappeler|décrire)\b",
        r"\b(?:ça|cela) vous (?:dérangerait|ennuierait) de\b",
        r"\bpuis-je vous demander\b|\bje peux vous demander\b",
        r"\b(?:j'aimerais|je voudrais|nous aimerions|nous voudrions|j'adorerais)\b",
        r"\bdiriez-vous\b",
        r"\baccepteriez-vous de (?:me |nous )?(?:raconter|décrire|expliquer|parler)\b",
        r"\b(?:pensiez|espériez|croyiez|pensais|espérais|attendiez) (?:que|qu')\s?\w*\s?\w+(?:rait|raient)\b",
        r"\bqui(?: d'autre)?\b(?:(?!\b(?:vous|tu)\b)[^?,])*?\b(?:saurait|pourrait|devrait|aurait)\b",
    ),
    past=_any(
        r"\b(?:la dernière fois|hier|il y a|la semaine dernière|le mois dernier|l'an dernier|l'année dernière"
        r"|à l'époque|avant que)\b",
        r"\b(?:avez|as|a|ont|avons|êtes|es|est|sont)-(?:vous|tu|il|elle|ils|elles|on|t-il|t-elle)\s+\w+",
        r"\b(?:vous avez|tu as|il a|elle a|on a|ils ont|vous êtes|tu es)\s+(?:\w+\s+)?\w+(?:é|ée|és"
        r"|i|is|it|u|us)\b",
        r"\b\w*[^r\W](?:ais|ait|iez|aient)\b",
        r"\b(?:étiez|était|étais|étaient)\b",
        r"\b(?:aurais|aurait|auriez|aurions|auraient)(?:-(?:je|tu|il|elle|on|nous|vous|ils|elles))?\s+"
        r"(?:\w+\s+)?(?:dû|pu|voulu|su|\w+é|\w+i|\w+u|\w+is|\w+it)(?!\w)",
    ),
    ours=_any(
        r"\b(?:notre|nos) (?:\w+ )?(?:" + _FR_PRODUCT + r")s?\b",
        r"\bun (?:outil|service|produit|logiciel) (?:comme (?:celui-ci|le nôtre|ça)|de ce genre)\b",
    ),
    opener=_any(
        r"(?:^|[,:;—–-]\s*|\b(?:et|alors|mais|donc|aussi)\s+)(?:que|qu'|quoi|comment|quand|où|pourquoi|qui"
        r"|quel|quelle|quels|quelles|combien|lequel|laquelle)",
        r"\b(?:racontez|raconte|décrivez|décris|expliquez|explique|parlez-moi|parle-moi|dites-moi|dis-moi"
        r"|montrez-moi|guidez-moi)\b",
        r"\b(?:à|de|en|avec|pour|sur|par|chez|vers|dans|depuis|jusqu'à)\s+(?:quoi|qui|quel|quelle"
        r"|quels|quelles"
        r"|lequel|laquelle|lesquels|lesquelles|combien|quand)\b",
    ),
)

PATTERNS: dict[str, LanguagePatterns] = {"en": ENGLISH, "es": SPANISH, "fr": FRENCH}
