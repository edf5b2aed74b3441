"""What the words of an answer say: sentences, and the cues the offline reader builds on.

Rules here are morphology and phrase lexicons for English, Spanish and French, written from the
definitions in ``shared/data/answers/README.md`` (never from a measuring file):

- :func:`split_sentences` cuts an answer into the verbatim sentences quoted as evidence;
- :func:`sentence_facets` tags one sentence with the facets its phrases carry;
- :func:`cue_counts` counts, for the act classifier, the cues that mean something about the
  answer's mode (time anchors, past tense, habit, modals, questions, refusals, injections...).

The act itself is decided by a small trained classifier over these cues and the answer's words
(``adapters/answer_reader.py``); the facets come from these rules, sentence by sentence.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable

from core.reading import Facet

_FLAGS = re.IGNORECASE | re.UNICODE


def _rx(*parts: str) -> re.Pattern[str]:
    return re.compile("|".join(f"(?:{p})" for p in parts), _FLAGS)


# ------------------------------------------------------------------------------ sentences
_SPLIT = re.compile(r"(?<=[.!?…])[\"'”»)]*\s+(?=\S)|\s*\n+\s*")


def split_sentences(text: str) -> list[str]:
    """The answer's sentences, verbatim (stripped), in order; an answer of one line is one."""
    pieces = [p.strip() for p in _SPLIT.split(text.strip())]
    return [p for p in pieces if p]


_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)?|\d+", re.UNICODE)


def words(text: str) -> list[str]:
    """Lower-cased words (letters, apostrophe contractions) and numbers."""
    return [w.lower().replace("’", "'") for w in _WORD.findall(text)]


# ------------------------------------------------------------------------------ time
_MONTHS = (
    r"january|february|march|april|may|june|july|august|september|october|november|december"
    r"|enero|febrero|marzo|abril|mayo|junio|julio|agosto|septiembre|octubre|noviembre|diciembre"
    r"|janvier|février|fevrier|mars|avril|mai|juin|juillet|août|aout|septembre|octobre|novembre|décembre"
)
_DAYS_EN = r"monday|tuesday|wednesday|thursday|friday|saturday|sunday"
_DAYS_ES = r"lunes|martes|miércoles|miercoles|jueves|viernes|sábado|sabado|domingo"
_DAYS_FR = r"lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche"
MONTHS = _MONTHS
WEEKDAYS = f"{_DAYS_EN}|{_DAYS_ES}|{_DAYS_FR}"
_UNITS_EN = r"days?|weeks?|months?|years?|hours?|minutes?|nights?|mornings?|weekends?"
_NUM_EN = r"\d+|a|an|one|two|three|four|five|six|ten|a few|a couple of|couple of|several|some"

# A specific past time: "last Tuesday", "two weeks ago", "in March", "yesterday", "la semana pasada"...
TIME_ANCHOR = _rx(
    rf"\blast (?:{_DAYS_EN}|week|month|year|night|time|summer|winter|spring|autumn|fall|quarter|"
    r"christmas|weekend|season)\b",
    rf"\b(?:{_NUM_EN})\s+(?:{_UNITS_EN})\s+ago\b",
    r"\byesterday\b|\bthis (?:morning|afternoon|past week)\b|\bthe other (?:day|week|night)\b",
    r"\bthe day before yesterday\b|\bearlier (?:this|today)\b|\bjust (?:this|last) week\b",
    rf"\b(?:in|on|back in|since|around|early|late|mid|end of|beginning of) (?:{_MONTHS})\b",
    rf"\b(?:on|that|one) (?:{_DAYS_EN})\b",
    r"\bone (?:time|day|morning|evening|night)\b|\bonce,|\bthere was this time\b",
    r"\b(?:in|back in) (?:19|20)\d\d\b|\bat christmas\b|\bover the holidays\b",
    # Spanish
    rf"\b(?:el|la) (?:{_DAYS_ES}|semana|mes|año|verano|invierno|trimestre)\s+pasad[oa]\b",
    r"\b(?:ayer|anoche|anteayer)\b|\bel otro día\b|\besta mañana\b|\bla última vez\b",
    r"\bhace (?:\d+|un|una|unos|unas|dos|tres|cuatro|cinco|poco|pocos|par de)\b",
    rf"\ben (?:{_MONTHS})\b|\buna vez\b|\bun día\b",
    # French
    r"\b(?:la semaine|le mois|l'année|l’année|l'an|l’an|l'été|l’été|l'hiver|l’hiver) derni(?:er|ère)\b",
    rf"\b(?:{_DAYS_FR}) dernier\b|\b(?:hier|avant-hier)\b|\bl['’]autre jour\b|\bce matin\b",
    r"\bil y a (?:\d+|un|une|deux|trois|quatre|cinq|quelques|peu)\b|\bla dernière fois\b",
    rf"\ben (?:{_MONTHS})\b|\bune fois\b|\bun jour\b",
)
# Time words that date a fact but do not anchor an occurrence of a problem.
NON_OCCURRENCE_TIME = _rx(
    r"\b(?:opened|started|founded|joined|launched|moved|hired|began|since)\b[^.!?]{0,25}"
    rf"\b(?:in|last|ago|(?:{_MONTHS}))\b",
    r"\b(?:abrimos|empecé|empezamos|fundamos|desde)\b",
    r"\b(?:ouvert|commencé|fondé|depuis)\b",
)

# Past-tense morphology (a narrated event).
PAST = _rx(
    r"\b(?:was|were|had|did|went|got|came|made|took|lost|told|said|found|sent|called|spent|"
    r"broke|forgot|missed|paid|ran|left|gave|saw|thought|knew|couldn't|didn't|wasn't|weren't|"
    r"happened|ended up|turned out|realised|realized|showed up|noticed|tried|asked|decided)\b",
    r"\b[a-z]{3,}ed\b",
    r"\b(?:fue|fui|era|estaba|tuve|tuvimos|hubo|pasó|llegó|perdí|perdimos|llamé|llamamos|dije|"
    r"hice|hicimos|gasté|pagué|pagamos|se cayó|olvidé|no llegó|me di cuenta|probé|probamos|"
    r"estuve|tuvo|salió|mandé|envié)\b",
    r"\b[a-záéíóú]{3,}(?:ó|aron|amos|ieron|é)\b",
    r"\b(?:j'ai|j’ai|on a|il a|elle a|nous avons|ils ont|c'était|c’était|était|étais|avait|"
    r"avons|ai eu|a eu|a fallu|suis allée?|sommes allés)\b",
)
HABIT = _rx(
    r"\b(?:always|usually|normally|generally|typically|often|sometimes|every|each|tend to|most days|"
    r"most of the time|all the time|whenever|each time|every time|constantly|regularly|routine)\b",
    r"\b(?:I|we|they) (?:just )?(?:will|'ll|would|'d) (?:usually|normally|just|often|typically)\b",
    r"\b(?:siempre|normalmente|generalmente|a menudo|cada|todos los|todas las|a veces|suelo|solemos|"
    r"cuando|habitualmente)\b",
    r"\b(?:toujours|d'habitude|d’habitude|généralement|souvent|parfois|chaque|tous les|toutes les|"
    r"quand|habituellement|en général)\b",
)
MODAL = _rx(
    r"\b(?:would|wouldn't|could|might|may be|maybe|perhaps|probably|wish|hope|hopefully|imagine|"
    r"if|unless|in case|in theory|someday|one day)\b|\bi'd\b|\bwe'd\b|\bit'd\b|\bthey'd\b|\byou'd\b",
    r"\b(?:I|we|it|that|they) (?:will|'ll) (?!usually|normally|just|often|typically)\b"
    r"|\bgoing to\b|\bgonna\b",
    r"\b(?:sería|seria|podría|podria|me gustaría|me gustaria|ojalá|quizás|quizá|tal vez|si|"
    r"supongo|usaría|pagaría|probaría|estaría|haría)\b",
    r"\b(?:serait|pourrait|j'aimerais|j’aimerais|peut-être|si|je suppose|utiliserais|paierais|"
    r"essaierais|voudrais|ferais|aurait)\b",
)
OPINION = _rx(
    r"\b(?:love|like it|like the|like that|great|cool|nice|neat|awesome|amazing|interesting|"
    r"brilliant|fantastic|excellent|useful|useless|pointless|gimmick|overrated|sounds|looks|"
    r"idea|trust|don't trust|skeptical|sceptical|worried|scary|creepy|fan of|not a fan|"
    r"impressive|promising|clever|smart|silly|stupid|hate|dislike|prefer|honestly|"
    r"i think|i feel|i believe|in my opinion|seems|feels|not sure about|meh|whatever|lovely|perfect|"
    r"rubbish|nonsense|overkill|hype|hyped|overhyped|scam|genius|no-brainer|fun|sad|uneasy|optimistic|"
    r"pessimistic|concerned|worth it|not worth|makes sense|good idea|bad idea|great idea|nice idea|"
    r"i'm sure|to be honest|not for me|for people like me|paranoid|old-fashioned|wonderful|terrific)\b",
    r"\b(?:me encanta|me gusta|buena idea|interesante|genial|útil|inútil|no me fío|no confío|"
    r"suena|parece|creo que|opino|pienso que|chulo|guay)\b",
    r"\b(?:j'adore|j’adore|j'aime|j’aime|bonne idée|intéressant|génial|utile|inutile|"
    r"je ne fais pas confiance|ça a l'air|ça a l’air|je pense|je trouve|je crois|sympa|super)\b",
)
QUESTION_OPEN = _rx(
    r"^(?:who|what|why|how|when|where|which|is|are|do|does|did|can|could|will|would|should|"
    r"wait|sorry|so|and|quién|quien|qué|que|por qué|cómo|como|cuándo|dónde|es|son|puedo|"
    r"puede|qui|quoi|pourquoi|comment|quand|où|est-ce|c'est|c’est|vous|tu|pardon)\b",
    r"^[¿]",
)
# Words by which a question is about this interview, us, our product or the customer's work.
INTERVIEW_REFERENCE = _rx(
    r"\b(?:you|your|yours|this|these|that|it|question|questions|interview|survey|mean|meant|answers?|"
    r"data|price|cost|costs|pay|trial|product|tool|app|company|team|business|my|our|work|recorded|"
    r"anonymous|shared|confidential|integrate|works? with|which|part|exactly)\b",
    r"\b(?:tú|te|ti|usted|vosotros|sois|esto|eso|pregunta|encuesta|entrevista|respuestas|precio|cuesta|"
    r"refieres|quieres decir|empresa|mi|mis|nuestro)\b",
    r"\b(?:vous|votre|vos|tu|ton|ta|ce|cette|ça|question|questionnaire|entretien|réponses|prix|coûte|"
    r"voulez dire|entreprise|mon|ma|mes|notre)\b",
)
CLARIFY = _rx(
    r"\b(?:don't|do not|didn't) (?:really )?(?:understand|get|follow)\b|\bwhat do you mean\b|"
    r"\bnot sure what you mean\b|\bcan you (?:clarify|rephrase|explain)\b|\bmeaning\?|\bsay that again\b|"
    r"\bwhat (?:exactly )?are you asking\b|\bwhich problem\b|\bwhat problem\b|\bconfused by the question\b",
    r"\bno (?:lo )?entiendo\b|\bno entendí\b|\bqué quieres decir\b|\ba qué te refieres\b|\bpuedes repetir\b",
    r"\bje ne comprends pas\b|\bj'ai pas compris\b|\bj’ai pas compris\b|\bpas compris\b|"
    r"\bque voulez-vous dire\b|\bc'est-à-dire\b|\bvous pouvez reformuler\b",
    r"^\s*(?:\?+|huh\??|hein\s*\??|¿\?|what\?+|eh\??|sorry\?|pardon\?)\s*$",
)
ASK_INTERVIEWER = _rx(
    r"\b(?:who are you|are you a (?:bot|robot|human|person|real)|is this (?:a|an|for|going|being|"
    r"recorded|shared|anonymous|confidential)|who (?:is|will) (?:going to )?(?:see|read)|"
    r"what (?:happens|will happen) (?:to|with) (?:my|the) (?:answers|data)|how long (?:will|does|is) "
    r"(?:this|it) take|how many (?:more )?questions|how much (?:will|does|is) (?:it|this) (?:cost|be)|"
    r"what(?:'s| is) (?:the|your) (?:price|product|company)|why do you (?:ask|want|need)|"
    r"what are you (?:building|selling)|sales call)\b",
    r"\b(?:quién eres|quiénes sois|quiénes son|eres un bot|es una llamada|cuánto (?:cuesta|costará|vale)|"
    r"para qué (?:es|sirve)|qué (?:vais|van) a hacer con|cuántas preguntas|cuánto dura)\b",
    r"\b(?:qui êtes-vous|qui es-tu|vous êtes qui|c'est un robot|c’est un robot|combien (?:ça )?coûte|"
    r"combien de questions|ça dure combien|à quoi ça sert|vous allez faire quoi)\b",
)
DECLINE = _rx(
    r"\b(?:i'd rather not|i would rather not|rather not say|prefer not to|i don't want to (?:answer|say|"
    r"talk|share|go into)|not comfortable|none of your business|can we (?:skip|move on|stop)|"
    r"skip (?:this|that|it)|next question|let's move on|move on|i want to stop|stop the interview|"
    r"stop here|i'm done|i am done|that's enough|no comment|can't (?:share|say|talk about) (?:that|this)|"
    r"not allowed to (?:say|share|talk|discuss)|confidential|i'll pass|pass on (?:this|that)|i pass|"
    r"(?:i'd|i would) prefer (?:not|to skip)|rather not (?:get into|go into|talk|discuss|share|answer)|"
    r"(?:don't|do not) want to (?:get into|dig into|discuss|name|give)|not going to (?:say|name|answer|"
    r"share|type|tell|get into)|i won't (?:say|answer|share|name|go into)|keep (?:that|it|this) private|"
    r"(?:that's|it's|that is) private|(?:can't|cannot|can not) (?:share|disclose|discuss|tell you|give out|"
    r"talk about)|let's (?:leave|skip) (?:that|this|it)|leave (?:that|this) one|skip (?:ahead|to)|"
    r"(?:have|got|need) to (?:go|run|leave)|gotta (?:go|run)|end (?:it|this) here|stop (?:now|it)|"
    r"another time|that's all i(?:'ve| have) got time)\b|^\s*(?:pass|skip|stop|next|no thanks|"
    r"no thank you|enough)[.!]*\s*$",
    r"\b(?:prefiero no|no quiero (?:contestar|responder|hablar|decir)|paso|siguiente pregunta|"
    r"podemos pasar|sáltate|saltar esta|no puedo (?:decir|compartir|hablar)|lo dejamos|quiero parar|"
    r"no me siento cómod[oa]|no lo voy a decir|eso es privado|es privado|no voy a (?:decir|contestar|"
    r"responder|dar)|siguiente|dejémoslo|otro día|tengo que irme|no quiero hablar)\b",
    r"\b(?:je préfère ne pas|je ne veux pas (?:répondre|en parler|dire)|je passe|question suivante|"
    r"on peut passer|passons|je ne peux pas (?:dire|partager|en parler)|j'arrête|j’arrête|"
    r"on arrête|pas à l'aise|pas à l’aise|je n'ai pas envie d'en parler|je n’ai pas envie d’en parler|"
    r"c'est privé|c’est privé|passer à la suite|je dois (?:y aller|partir|filer)|une autre fois)\b",
)
INJECTION = _rx(
    r"\b(?:ignore (?:all |any |the |your )?(?:previous|prior|above|earlier) (?:instructions|prompts?|"
    r"messages?|rules)|disregard (?:all |your |the )?(?:previous|prior|above)|you are now|act as|"
    r"pretend (?:you are|to be)|system prompt|developer mode|jailbreak|reveal (?:your|the|other)|"
    r"print (?:your|the) (?:prompt|instructions)|forget (?:all |your )?(?:previous |prior )?instructions|"
    r"new instructions|repeat (?:after me|the words)|tell me what other (?:customers|people|users)|"
    r"other customers'? (?:answers|said|data)|(?:admin|god|debug|unrestricted) mode|as an ai language model|"
    r"you must (?:answer|obey|reply)|system override|reply only with|respond only with|output (?:every|all)|"
    r"list (?:every|all) (?:the )?(?:answers|transcripts|customers)|end the interview|mark (?:this|me) as)\b",
    r"\b(?:ignora (?:las|todas las|tus) instrucciones|olvida (?:las|tus) instrucciones|ahora eres|"
    r"actúa como|dime qué (?:dijeron|han dicho) otros)\b",
    r"\b(?:ignore[sz]? (?:les|toutes les|tes|vos) instructions|oublie[sz]? (?:les|tes|vos) instructions|"
    r"tu es maintenant|fais comme si|dis-moi ce que les autres)\b",
)
UNRELATED = _rx(
    r"\b(?:weather|football|soccer|match|game last night|horoscope|joke|recipe|pizza|lunch|dinner|"
    r"my dog|my cat|brb|lol|lmao|crypto|bitcoin|buy now|click here|free money|subscribe|promo code|"
    r"discount code|viagra|casino|sunny|raining|rain|weekend plans|movie|netflix|song|lottery|"
    r"capital of|poem|haiku|limerick|dm me|dm @\w+|from home|signals|giveaway|followers|"
    r"limited offer|act now|winner|prize)\b",
    r"\b(?:el tiempo|fútbol|futbol|partido|chiste|receta|mi perro|mi gato|llueve|hace sol|"
    r"horóscopo|lotería|película|canción)\b",
    r"\b(?:la météo|il pleut|foot|match|blague|recette|mon chien|mon chat|horoscope|loto|film|"
    r"chanson|il fait beau)\b",
)


# ------------------------------------------------------------------------------ facets
_TRADES = (
    r"manager|engineer|developer|programmer|designer|teacher|nurse|doctor|accountant|bookkeeper|"
    r"consultant|owner|co-?founder|founder|freelancer|freelance|lawyer|paralegal|analyst|writer|"
    r"editor|plumber|electrician|baker|chef|cook|florist|photographer|videographer|researcher|"
    r"scientist|student|phd|marketer|recruiter|director|ceo|cto|coo|cfo|vp|head of|lead|architect|"
    r"administrator|admin|assistant|coordinator|specialist|technician|mechanic|driver|courier|"
    r"pharmacist|dentist|therapist|translator|tutor|copywriter|journalist|producer|artist|"
    r"musician|hairdresser|barber|farmer|landlord|realtor|agent|broker|salesperson|sales rep|"
    r"cashier|waiter|waitress|bartender|barista|caterer|carpenter|builder|contractor|"
    r"secretary|receptionist|officer|clerk|auditor|planner|strategist|scrum master|tester|"
    r"data scientist|sysadmin|devops|support agent|supervisor|foreman|pm|ux|ui|seo"
)
_BUSINESSES = (
    r"bakery|restaurant|cafe|café|coffee shop|bar|pub|shop|store|boutique|salon|studio|agency|"
    r"firm|practice|clinic|startup|start-up|company|consultancy|warehouse|garage|workshop|hotel|"
    r"b&b|bnb|gym|school|nonprofit|non-profit|ngo|food truck|catering|bookshop|bookstore|"
    r"pharmacy|brewery|winery|farm|florist|print shop|plumbing business|cleaning business|"
    r"e-?commerce|online shop|etsy shop|law firm|accounting firm|dental practice|hospital|"
    r"marketing team|sales team|support team|dev team|engineering team|it department|team of"
)
_ES_TRADES = (
    r"contable|gerente|ingenier[oa]|diseñador[a]?|profesor[a]?|enfermer[oa]|médic[oa]|dueñ[oa]|"
    r"propietari[oa]|abogad[oa]|panader[oa]|fontanero|electricista|fotógraf[oa]|desarrollador[a]?|"
    r"programador[a]?|consultor[a]?|autónom[oa]|freelance|florista|cociner[oa]|camarer[oa]|"
    r"administrativ[oa]|jef[ea] de|director[a]?|fundador[a]?|cofundador[a]?|estudiante|"
    r"investigador[a]?|traductor[a]?|peluquer[oa]|arquitect[oa]|comercial|vendedor[a]?|"
    r"repartidor[a]?|técnic[oa]|analista|responsable de|encargad[oa]"
)
_ES_BUSINESSES = (
    r"panadería|restaurante|cafetería|bar|tienda|peluquería|estudio|agencia|empresa|despacho|"
    r"clínica|startup|gestoría|taller|hotel|gimnasio|academia|floristería|librería|farmacia|"
    r"negocio de|ferretería|pastelería|frutería|carnicería|bodega"
)
_FR_TRADES = (
    r"comptable|gérante?|ingénieure?|développeu(?:r|se)|designer|professeure?|prof|infirmi(?:er|ère)|"
    r"médecin|avocate?|boulang(?:er|ère)|plombier|électricien(?:ne)?|photographe|consultante?|"
    r"indépendante?|freelance|fleuriste|traiteur|artisan|cuisini(?:er|ère)|serveu(?:r|se)|"
    r"directeur|directrice|fondat(?:eur|rice)|cofondat(?:eur|rice)|étudiante?|chercheu(?:r|se)|"
    r"traduct(?:eur|rice)|coiffeu(?:r|se)|architecte|commerciale?|vendeu(?:r|se)|livreu(?:r|se)|"
    r"technicien(?:ne)?|analyste|responsable|chef de|cheffe de|assistante?|secrétaire|chargée? de"
)
_FR_BUSINESSES = (
    r"boulangerie|restaurant|café|bar|boutique|magasin|salon|studio|agence|entreprise|cabinet|"
    r"clinique|startup|start-up|atelier|garage|hôtel|salle de sport|école|fleuriste|librairie|"
    r"pharmacie|pâtisserie|épicerie|société|pme|association"
)

_RELATIVES = (
    r"friend|buddy|mate|brother|sister|cousin|brother-in-law|sister-in-law|neighbou?r|uncle|aunt|"
    r"dad|mum|mom|father|mother|ex-colleague|former colleague|old colleague|old boss|partner|"
    r"wife|husband|classmate|contact"
)
_PEOPLE_EN = (
    r"boss|manager|managers|team|teammates?|colleagues?|co-?workers?|staff|employees?|partner|"
    r"business partner|co-?founder|wife|husband|clients?|customers?|suppliers?|vendors?|accountant|"
    r"assistant|interns?|developers?|devs|designers?|engineers?|drivers?|couriers?|waiters?|"
    r"kitchen|chef|bookkeeper|landlord|users?|students?|patients?|parents|kids|family|"
    r"director|ceo|cto|founder|lead|head of|department|finance|hr|legal|sales|marketing|support|"
    r"ops|operations|it guy|it team|stakeholders?|reviewers?|editors?|writers?|freelancers?|"
    r"contractors?|subcontractors?|the bank|the tax office|the landlord|delivery guy|guests?|"
    r"members?|volunteers?|readers?|listeners?|audience|viewers?|sister|brother|mum|mom|dad|"
    r"wholesalers?|distributors?|retailers?|carriers?|new hires|"
    r"repair (?:guy|man|woman|person|company)|technicians?|techs?|branch(?:es)?|restaurants?|hospital|"
    r"crew|crews|nurses?|vets?|owners?|patrons?|"
    r"account managers?|it teams?|tenants?|families|pupils|teachers?|"
    r"doctors?|dentists?|surgeons?|pharmacists?|cooks?|line cooks?|sous|servers?|cleaners?|"
    r"bus company|courier company|warehouse|brokers?|agents?|support agents?|pms|product managers?|"
    r"sales reps?|recruiters?|candidates?|applicants?|investors?|board|auditors?|inspectors?|"
    r"council|insurers?|insurance company|bank|contractors?|builders?|electricians?|plumbers?|"
    r"neighbou?rs?|competitors?|team leads?|whoever|colleague"
)
_GROUPS_EN = (
    r"clients|customers|suppliers|vendors|staff|employees|colleagues|coworkers|co-workers|"
    r"nurses|drivers|couriers|waiters|wholesalers|students|patients|parents|families|kids|"
    r"users|guests|patrons|tenants|receivers|technicians|techs|developers|designers|engineers|"
    r"managers|teachers|doctors|restaurants|stakeholders|reviewers|editors|freelancers|"
    r"contractors|subcontractors|volunteers|members|readers|listeners|viewers|"
    r"new hires|new customers|regulars"
)
_PEOPLE = _rx(
    rf"\b(?:my|our|the|their|his|her|your|a|an|a few|some|other|two|three|\d+|any|every|each|one of "
    rf"(?:my|our|the))(?: [\w-]+)?(?: [\w-]+)? (?:{_PEOPLE_EN})\b",
    rf"\b(?:{_GROUPS_EN})\b",
    r"\b(?:nobody|no one|someone|somebody|each other|they all|both of us|the whole team|the others|"
    r"my people|the guys|the girls)\b",
    r"\b(?-i:[A-Z][a-z]+), (?:our|my|the) \w+\b",
    r"\b(?:mi|mis|nuestro|nuestra|nuestros|nuestras|el|la|los|las|sus|tu) (?:\w+ )?(?:jef[ea]|equipo|"
    r"compañer[oa]s?|clientes?|proveedor(?:es)?|soci[oa]s?|emplead[oa]s?|mujer|marido|contable|gestor[a]?|"
    r"gestoría|camarer[oa]s?|cociner[oa]s?|repartidor(?:es)?|hij[oa]s?|familia|usuari[oa]s?|alumn[oa]s?|"
    r"pacientes?|chic[oa]s|director[a]?|encargad[oa]|trabajador(?:es|as?)|doctor[a]?|médic[oa]s?|"
    r"técnic[oa]s?|mayorista|distribuidor(?:es)?|conductor(?:es)?|chóferes|enfermer[oa]s?)\b",
    r"\b(?:clientes|clientas|proveedores|empleados|empleadas|pacientes|trabajadores|alumnos|"
    r"compañeros|camareros|repartidores|socios)\b",
    r"\b(?:nadie|alguien)\b",
    r"\b(?:mon|ma|mes|notre|nos|le|la|les|leur|leurs|ton|ta|vos|votre) (?:\w+ )?(?:chef|patron(?:ne)?|"
    r"équipe|collègues?|clients?|clientes?|fournisseurs?|associée?s?|employée?s?|salariée?s?|femme|mari|"
    r"comptable|serveu(?:r|se)s?|cuisiniers?|livreurs?|enfants?|famille|utilisateurs?|élèves?|"
    r"patients?|directeur|directrice|responsable|stagiaires?|grossistes?|médecins?|"
    r"infirmières?|techniciens?|chauffeurs?)\b",
    r"\b(?:clients|clientes|fournisseurs|employés|salariés|patients|collègues|élèves|serveurs|"
    r"livreurs|associés|une cliente|un client)\b",
    r"\b(?:personne ne|quelqu'un|quelqu’un)\b",
)
_ROLE = _rx(
    rf"\bi(?:'m| am) (?:a|an|the|one of the|currently a|currently an|currently the)? ?"
    rf"(?:[\w-]+ ){{0,3}}(?:{_TRADES})s?\b",
    r"\bi work (?:as|at|in|for|on|with)\b|\bi(?:'m| am) (?:in charge of|responsible for)\b",
    rf"\b(?:i|we) (?:run|own|manage|co-?own|started|founded|operate|have) (?:a|an|the|my|our|two|three|"
    rf"this|\d+)? ?(?:[\w&'-]+ ){{0,3}}(?:{_BUSINESSES})s?\b",
    rf"\b(?:we(?:'re| are)|it's|it is) (?:a|an) (?:[\w&'-]+ ){{0,3}}(?:{_BUSINESSES})\b",
    rf"\b(?:my|our) (?:[\w-]+ ){{0,2}}(?:{_BUSINESSES})\b",
    r"\b(?:my job|my role|my work is|my day job|my position|my title|i do (?:the )?(?:books|bookkeeping|"
    r"accounting|marketing|sales|support|payroll|hiring|admin|logistics|research|design|coding|"
    r"web design|video|photography|translation|consulting))\b",
    rf"\bas (?:a|an|the) (?:[\w-]+ ){{0,2}}(?:{_TRADES})\b",
    r"\bi (?:teach|manage|lead|coordinate|supervise|design|develop|edit|write|code|program|"
    r"build|make|sell|fix|repair|bake|cook|clean|deliver|translate|tutor|research) "
    r"(?:a|an|the|our|for|at|websites|software|apps|videos|content|cakes|bread|furniture|houses)\b",
    rf"\b(?:soy|trabajo (?:como|de|en|para)|me dedico a|llevo|dirijo|gestiono|tengo) (?:un |una |el |la |"
    rf"mi |nuestra |nuestro )?(?:[\w-]+ ){{0,2}}(?:{_ES_TRADES}|{_ES_BUSINESSES})\b",
    rf"\b(?:mi|nuestra|nuestro) (?:[\w-]+ )?(?:{_ES_BUSINESSES})\b|\bmi trabajo\b|\bsomos una\b",
    rf"\b(?:je suis|je travaille (?:comme|chez|dans|en|pour)|je gère|je dirige|je tiens|j'ai|j’ai) "
    rf"(?:un |une |le |la |l'|mon |ma |notre )?(?:[\w-]+ ){{0,2}}(?:{_FR_TRADES}|{_FR_BUSINESSES})\b",
    rf"\b(?:mon|ma|notre) (?:[\w-]+ )?(?:{_FR_BUSINESSES})\b|\bmon (?:métier|poste|travail)\b|"
    r"\bnous sommes une?\b",
)
_WORKPLACES = (
    r"bakery|pharmacy|clinic|practice|salon|shop|store|restaurant|kitchen|café|cafe|bar|pub|hotel|"
    r"school|classroom|hospital|ward|warehouse|farm|studio|agency|firm|co-?op|depot|fleet|dispatch|"
    r"front desk|till|workshop|garage|surgery|lab|library|newsroom|office manager|platform|"
    r"dental|vet|veterinary|plumbing|electrical|catering|bnb|b&b|etsy|shopify|"
    r"site|job site|trucks?|vans?|shifts?|menu|covers|tables|chair|appointments|bookings|clinic"
)
_WORK_OBJECTS = (
    r"clients?|patients?|students?|pupils|kids|class|classes|lessons|courses|customers?|staff|team|"
    r"crew|employees|drivers|techs|technicians|nurses|cooks?|line cook|sous|pms|agents|support agents|"
    r"hires|readers|listeners|subscribers|audience|patrons|guests|tenants|shop|store|stock|orders|"
    r"thesis|research|papers|articles|podcast|channel|videos?|game|games|app|product|startup|code|"
    r"codebase|scripts?|manuscript|novel|book|designs?|projects?|portfolio|"
    r"practice|dissertation|lab|grants?|shipments|deliveries|harvest|crops|herd|"
    r"photos|shoots|weddings|events|gigs|contracts?|cases|caseload|accounts|listings|"
    r"properties|menu|kitchen|recipes|prints|courses|workshops|trainings|"
    r"music|artwork|illustrations|translations|tickets|queue|backlog|sprints?|roadmap|"
    r"reports|campaigns|ads|content|posts|newsletter|website|sites|servers|clusters|pipelines"
)
_ROLE_CONTEXT = _rx(
    rf"\b(?:at|in|for|from|to|into|with) (?:the|our|my) (?:[\w-]+ )?(?:{_WORKPLACES})\b",
    rf"\b(?:my|our) (?:[\w-]+ )?(?:{_WORK_OBJECTS})\b",
    r"\b(?:the|a|an) (?:[\w-]+ )?(?:bakery|pharmacy|clinic|salon|restaurant|café|dental practice|"
    r"law firm|agency|studio|farm|school|hospital|warehouse|food truck|print shop)\b",
    r"\b(?:i|we) (?:sell|make|teach|bake|grow|build|design|write|edit|translate|deliver|ship|repair|"
    r"install|clean|cut|run|do|manage|coach|train|host|produce|record|publish|photograph|shoot|code|"
    r"develop|research|study|sew|knit|brew|roast|cater|tutor|represent|handle|treat|see|serve) "
    r"(?:[\w&'-]+ ){0,3}(?:for|to|on|at|in|from|with|into)\b",
    r"\bi (?:sell|make|teach|bake|grow|design|write|edit|translate|repair|install|code|develop|"
    r"research|study|sew|knit|brew|roast|cater|tutor|photograph|produce|host|record|publish|treat) "
    r"(?!it\b|that\b|this\b|them\b)[\w-]+",
    r"\b(?:as a|as an|in my (?:job|role|work|line of work|field|industry|trade)|in our (?:industry|"
    r"trade|field|sector|line of work)|my (?:line of work|field|industry|trade|clinic|practice))\b",
    r"\b(?:mis|nuestros|nuestras) (?:clientes|clientas|pacientes|alumnos|trabajadores|empleados|"
    r"camareros|citas|pedidos)\b|\ben (?:la|el|mi|nuestra|nuestro) (?:panadería|farmacia|clínica|tienda|"
    r"peluquería|restaurante|taller|oficina|despacho|consulta|granja|campo|obra)\b",
    r"\b(?:mes|nos) (?:clients|clientes|patients|élèves|salariés|employés|serveurs|commandes)\b|"
    r"\b(?:au|à la|dans mon|dans notre|à mon) (?:cabinet|boutique|magasin|restaurant|atelier|"
    r"boulangerie|pharmacie|salon|bureau|clinique|ferme|chantier)\b",
)
_ROLE_NOT = _rx(r"\bi(?:'m| am) (?:a|an) (?:bit|little|lot|big fan|fan|huge fan|mess)\b")

_PROBLEM = _rx(
    r"\b(?:frustrat\w*|annoy\w*|pain(?:ful)?|nightmare|hate|hated|struggl\w*|difficult\w*|problems?|"
    r"issues?|mess(?:y)?|chaos|chaotic|headaches?|stress\w*|overwhelm\w*|drives? me (?:crazy|nuts|mad)|"
    r"tedious|repetitive|broken|breaks|broke|crash\w*|fail\w*|errors?|mistakes?|bugs?|buggy|"
    r"complain\w*|worst|ugh|stuck|confus\w*|waste|wasted|wasting|takes forever|forever to|"
    r"too (?:long|slow|much|many)|slow|late|delays?|delayed|behind|missing|missed|lost|losing|"
    r"forgot|forget|forgotten|no-shows?|didn't show|did not show|never showed|cancel\w*|wrong|"
    r"unreliable|inconsistent|hard to (?!say|tell|know)|hard part|hardest|tricky|tough|"
    r"can't keep up|falls? through the cracks|chasing|chase|bottleneck|blocker|doesn't work|"
    r"didn't work|don't work|not working|stopped working|hallucinat\w*|inaccura\w*|unusable|"
    r"clunky|painful|killer|scramble|scrambling|panic\w*|awful|terrible|horrible|exhausting|"
    r"burn(?:ed|t)? out|burnout|bottlenecks?|back-and-forth|back and forth|pile up|piles up|"
    r"drowning|fiddly|fight with|fighting with|fights|out of stock|ran out|run out|short-staffed|"
    r"understaffed|died|dies|no-?shows?|ghosted|short on|double-?booked|overbooked|argument|"
    r"blamed?|time-consuming|last-minute|can't|cannot|couldn't|bad|worse|sucks|hassle|nuisance|"
    r"overwhelmed|slammed|swamped|ridiculous|expensive|clash\w*)\b",
    r"\b(?:problema\w*|frustra\w*|molest\w*|pesadilla|odio|difícil|dificil|lío|caos|estrés|agobi\w*|"
    r"no funciona|falla\w*|se cae|se cayó|errores|error|tarde|retraso\w*|perd\w+|no llegó|no llega|"
    r"complicad\w*|tedios\w*|horrible|un rollo|un desastre|desastre|olvid\w+|se me pasa|"
    r"nos quedamos sin|me vuelve loc[oa]|lent[oa]|cancel\w*|mal|"
    r"falta\w*|lo más difícil|lo peor|última hora|no puedo|no pude)\b",
    r"\b(?:problèmes?|galère\w*|frustr\w*|pénible|chiant\w*|cauchemar|déteste|difficile\w*|"
    r"compliqué\w*|bordel|stress\w*|marche pas|ne marche plus|bugs?|plant\w*|erreurs?|retards?|"
    r"en retard|perdu\w*|perd\w*|oubli\w*|casse-tête|relou|énervant\w*|lent\w*|annul\w*|rupture|"
    r"débordée?s?|m'énerve|m’énerve|galérer|la misère|l'enfer|l’enfer|le plus dur|le plus difficile|"
    r"le pire|dernière minute|il manque|manque\w*|j'ai dû|j’ai dû|on a dû)\b",
)
_PROBLEM_NOT = _rx(
    r"\bhard to (?:say|tell|know)\b|\bno problems?\b|\bnot (?:really )?a problem\b|\bnot bad\b|"
    r"\bcan't (?:complain|remember|say|share|tell|wait)\b|\bcannot (?:say|share)\b"
)

_FREQUENCY = _rx(
    r"\b(?:always|usually|often|sometimes|rarely|seldom|never|occasionally|constantly|regularly|"
    r"frequently|daily|weekly|monthly|yearly|annually|hourly|nightly|all the time|most days|"
    r"most weeks|most mornings|most of the time|every so often|once in a while|now and then|"
    r"from time to time|every other \w+|on and off|almost every \w+|pretty much every \w+|"
    r"non-?stop|again and again|over and over|each time|every time|a lot|whenever|at least once|"
    r"more and more|less and less|happens? (?:a lot|constantly|all the time|every|once|twice))\b",
    r"\bevery (?:single )?(?:day|week|month|year|morning|evening|night|weekend|quarter|season|shift|"
    r"order|delivery|project|client|time|"
    + _DAYS_EN
    + r"|\w+day|\d+ (?:days|weeks|months)|few \w+|couple of \w+)\b",
    r"\beach (?:day|week|month|year|morning|quarter|time|shift|order|delivery|project)\b",
    r"\b(?:once|twice|three times|four times|five times|\d+ times|a few times|several times|"
    r"a couple of times|many times|multiple times)(?: (?:a|an|per|each|every|this|last|since|in) \w+)?\b",
    r"\b(?:second|third|fourth|fifth|umpteenth|\d+(?:st|nd|rd|th)) time\b",
    r"\b(?:siempre|a menudo|normalmente|a veces|casi nunca|nunca|constantemente|a diario|"
    r"todos los (?:días|lunes|martes|miércoles|jueves|viernes|sábados|domingos|meses|años|fines de semana)|"
    r"todas las (?:semanas|mañanas|noches)|cada (?:día|semana|mes|año|mañana|lunes|viernes|vez|pedido|dos)|"
    r"(?:una|dos|tres|cuatro|\d+) veces|de vez en cuando|semanalmente|mensualmente|con frecuencia|"
    r"muchas veces|pocas veces|cada dos por tres|suele|solemos)\b",
    r"\b(?:toujours|souvent|parfois|rarement|jamais|constamment|tout le temps|de temps en temps|"
    r"tous les (?:jours|lundis|mardis|mois|ans|matins|soirs|week-ends)|toutes les (?:semaines|nuits)|"
    r"chaque (?:jour|semaine|mois|année|matin|fois|lundi|commande)|(?:une|deux|trois|quatre|\d+) fois|"
    r"d'habitude|d’habitude|régulièrement|quotidien\w*|hebdomadaire\w*|mensuel\w*|fréquemment)\b",
)

_WORKAROUND = _rx(
    r"\b(?:i|we|they|he|she) (?:now |just |usually |then |finally |eventually |also |always |basically |"
    r"mostly |still |sometimes )?(?:use|used|using|tried|try|rely on|relied on|ended up|switched to|"
    r"built|build|wrote|set up|hired|outsourced|bought|paid for|call|called|phone|phoned|text|texted|"
    r"email|emailed|message|messaged|ring|rang|drove|drive|went|go|check|checked|double-check|"
    r"double-checked|keep|kept|fix|fixed|copy|copied|paste|pasted|print|printed|write it|wrote it|"
    r"note|noted|track|tracked|ask|asked|google|googled|search|searched|look it up|looked it up|"
    r"handle it|handled it|do it by hand|did it by hand|make do|patched|restart|restarted)\b",
    r"\b(?:spreadsheets?|excel|google sheets?|sheets|notebook|notepad|whatsapp|telegram|slack|"
    r"teams|email|emails|post-?its?|sticky notes?|paper|calendar|reminders?|alarms?|workaround|"
    r"manually|by hand|chatgpt|chat gpt|gpt-?\d?|claude|copilot|gemini|perplexity|midjourney|"
    r"grammarly|an? ai|the ai|ai tools?|ai to|llms?|zapier|notion|trello|asana|jira|airtable|"
    r"quickbooks|xero|shopify|wordpress|canva|figma|template|macro|plugin|plug-in|harvest app|"
    r"cash and carry|backup|back-up|checklist|whiteboard|voice notes?|photos? of|screenshots?|"
    r"on the phone|ringing|calling (?:them|the|every|each|round|around)|ring (?:the|them|round|around)|"
    r"call (?:the|them|him|her|every|each|round|around)|google drive|dropbox|shared (?:folder|drive|doc)|"
    r"paper diary|diary|planner|clipboard|upwork|fiverr)\b",
    r"\b(?:uso|usamos|utilizo|utilizamos|usé|probé|probamos|llamo|llamé|llamamos|apunto|apunté|"
    r"hoja de cálculo|hoja de excel|excel|libreta|cuaderno|whatsapp|a mano|chatgpt|la ia|una app|"
    r"un programa|contraté|contratamos|fui a|voy a la|compré|compramos|reviso|revisé|copio|"
    r"le pido|le pregunto|le escribo|le mando|por whatsapp|una agenda|llamando|apuntamos)\b",
    r"\b(?:j'utilise|j’utilise|on utilise|nous utilisons|utilisé|j'ai essayé|j’ai essayé|on a essayé|"
    r"j'appelle|j’appelle|j'ai appelé|j’ai appelé|on appelle|tableur|excel|carnet|cahier|whatsapp|"
    r"à la main|chatgpt|l'ia|l’ia|une appli|un logiciel|j'ai embauché|je note|je vérifie|"
    r"je suis allée?|on est allés|acheté|je demande|je copie|post-it|on relance|je relance|par mail|"
    r"par téléphone)\b",
)
_PLAN_ONLY = _rx(
    r"\b(?:i|we)(?:'ll| will| would|'d| might| could| should| may| plan to| want to| need to| "
    r"am going to|'m going to| are going to|'re going to|'re thinking|'m thinking| haven't)\b",
    r"\b(?:voy a|vamos a|quiero|querría|pienso|podría)\b|\b(?:je vais|on va|je voudrais|je pourrais)\b",
)

_COST = _rx(
    r"[$€£]\s?\d|\b\d[\d,.]*\s?(?:k|€|\$|£|euros?|eur|dollars?|bucks|pounds|quid|grand)\b",
    r"\b(?:\d+|a|an|one|two|three|four|five|six|ten|few|a few|couple of|several|half an?|half a|"
    r"whole|entire|extra|many|hours of|countless)\s+(?:hours?|hrs?|days?|minutes?|mins|evenings?|"
    r"weekends?|afternoons?|mornings?|nights?|weeks?)\b(?! ago)",
    r"\b(?:cost|costs|costing|costly|expensive|pricey|lost (?:sales|customers|clients|money|revenue|"
    r"orders|a client|a customer|the deal|deals|business|income|a day|time)|lose (?:sales|customers|"
    r"clients|money|time)|overtime|fees?|fines?|penalt\w*|late fee|refunds?|paid (?:\w+ )?for|"
    r"spend|spent|stress|stressed|stressful|sleep|burn(?:ed|t)? out|waste of (?:time|money)|wasted|"
    r"money|revenue|margin|margins|lost sales|time-consuming|takes (?:me|us) (?:forever|ages|hours|days)|"
    r"eats (?:up )?(?:my|our|a lot)|eating (?:up )?(?:my|our)|unpaid|out of pocket|salary|wages|"
    r"chargeback|overwhelmed|exhausted|exhausting|churn(?:ed)?|walked out|never came back)\b",
    r"\b(?:cuesta|costó|cuestan|caro|horas extra|multas?|recargo|dinero|ventas|perd\w+ (?:ventas|"
    r"clientes|dinero|tiempo|pedidos)|estrés|pagar|pagué|gasto|gasté|gastamos|euros|horas|días|"
    r"tiempo perdido|no duermo|dormir)\b",
    r"\b(?:coûte|coûté|cher|heures sup\w*|amendes?|pénalités?|argent|ventes|perdu (?:des|de l'|du|"
    r"un|une)|stress|payer|payé|dépense|dépensé|euros|heures|jours|temps perdu|dormir|sommeil|frais)\b",
)

_REFERRAL = _rx(
    rf"\b(?:my|a|an|our) (?:\w+ )?(?:{_RELATIVES})\b[^.!?]{{0,80}}\b(?:same|too|as well|also|similar|"
    rf"exactly this|this exact|the same)\b",
    rf"\b(?:my|a|an|our) (?:\w+ )?(?:{_RELATIVES})\b[^.!?]{{0,20}}\b(?:runs|has|owns|is|works|deals|"
    r"complains|had|struggles)\b[^.!?]{0,60}\b(?:same|too|similar|as well|also)\b",
    r"\b(?:i|we) (?:can|could|will|'ll|might) (?:ask|introduce|connect|put you in touch|send you|"
    r"forward|pass|share|check with|talk to|mention)\b[^.!?]{0,40}\b(?:him|her|them|you|"
    r"this|it|the link|around|contact|colleagues?|friends?|(?-i:[A-Z][a-z]+))\b",
    r"\b(?:you should|you could|you might want to|you'd want to) (?:talk|speak|reach out|ask|call|"
    r"contact|chat)\b|\b(?:talk|speak) to (?-i:[A-Z][a-z]+)\b|\bask around\b|\bknow (?:a few|some|someone|"
    r"somebody|a guy|a woman|a couple|plenty of|loads of|several|two|three|\d+) \w+",
    r"\b(?-i:[A-Z][a-z]+) (?:at|from) (?-i:[A-Z][\w&]+) (?:has|had|deals|complains|struggles|is)\b",
    r"\b(?:mi|un|una) (?:amig[oa]|herman[oa]|prim[oa]|cuñad[oa]|vecin[oa]|soci[oa]|conocid[oa]|"
    r"ex compañer[oa]|excompañer[oa])\b[^.!?]{0,80}\b(?:mismo|misma|igual|también|parecido)\b",
    r"\b(?:puedo|podría|le puedo|te puedo|les puedo) (?:preguntar|presentar|pasar|poner en contacto|"
    r"mandar|reenviar)\w*\b|\bconozco a\b|\bdeberías hablar con\b|\bhabla con\b",
    r"\b(?:mon|ma|un|une) (?:ami|amie|pote|copain|copine|frère|sœur|soeur|cousin|cousine|beau-frère|"
    r"belle-sœur|voisin|voisine|associé|ancien collègue|ancienne collègue)\b[^.!?]{0,80}\b(?:même|"
    r"pareil|aussi|également)\b",
    r"\b(?:je peux|je pourrais|je vais) (?:lui |leur |vous )?(?:demander|présenter|transférer|mettre en "
    r"contact|envoyer|passer)\b|\bje connais (?:quelqu|un|une|plein|deux|trois)\w*|"
    r"\b(?:vous devriez|tu devrais) (?:parler|contacter|appeler)\b",
)
_COMMITMENT = _rx(
    r"\b(?:sign me up|count me in|i'm in|i am in|put me (?:down|on)|add me|where do i sign|"
    r"take my money|shut up and take|when can i (?:try|start|get|use|buy)|can i (?:try|get|buy|join|"
    r"be a|be part|sign up)|i want to (?:try|buy|join|sign up|be a beta|pilot)|i'd like to (?:try|join|"
    r"sign up|be a|pilot|buy|see a demo)|i would like to (?:try|join|sign up|buy)|let me (?:try|know "
    r"when|test)|send me (?:the|a|an) (?:link|beta|invite|demo|trial|contract|quote|invoice)|"
    r"(?:call|ring|email|text) me (?:on|at|any|this|next|tomorrow|monday|tuesday|wednesday|thursday|"
    r"friday|after|before|back)|happy to (?:do|jump on|hop on|have|join|share|send|talk|chat|pay|test|"
    r"try|pilot|be a|introduce|connect)|i can (?:share|send you|give you|show you) (?:our|my|some|the|"
    r"a)\b|i(?:'ll| will) (?:pay|buy|sign|send you|share|introduce)|i'd pay (?:for it )?(?:today|now|"
    r"right now)|(?:free|available) (?:on|this|next|after|before|tomorrow)|beta tester|pilot|waitlist|"
    r"wait list|early access|i'm available|book (?:a|me)|schedule a|set up a call)\b",
    r"\b(?:apúntame|apuntadme|cuenta conmigo|me apunto|quiero probarlo|quiero probar|me gustaría "
    r"probar|llámame|llamadme|mándame|envíame|te puedo (?:enviar|mandar|pasar) (?:mis|nuestras|los|"
    r"las|el|la)|puedo (?:enviarte|mandarte|compartir)|piloto|beta|lista de espera|estoy disponible|"
    r"te presento)\b",
    r"\b(?:inscrivez-moi|inscris-moi|je suis partante?|je veux (?:l'|l’)?essayer|je voudrais "
    r"(?:l'|l’)?essayer|appelez-moi|rappelez-moi|envoyez-moi|je peux vous (?:envoyer|partager|"
    r"présenter|mettre en contact)|pilote|bêta|liste d'attente|je suis disponible|je vous présente)\b",
)
_INTRODUCTION = _rx(
    r"\b(?:introduce you|put you in touch|connect you|send you (?:his|her|their) (?:number|contact|email)|"
    r"poner(?:te|os)? en contacto|te (?:paso|mando) su (?:número|contacto|correo)|presentar(?:te|os)|"
    r"vous mettre en contact|vous présenter|vous envoyer (?:son|ses|leur) (?:numéro|contact|mail))\b"
)


@functools.lru_cache(maxsize=2048)
def sentence_facets(sentence: str) -> frozenset[Facet]:
    """The facets one sentence carries, by its phrases (past tense and time for occurrence).

    Cached: the act classifier's cues and the evidence both ask for the same sentences."""
    found: set[Facet] = set()
    if (_ROLE.search(sentence) or _ROLE_CONTEXT.search(sentence)) and not _ROLE_NOT.search(sentence):
        found.add(Facet.ROLE)
    if _PROBLEM.search(sentence) and not (
        _PROBLEM_NOT.search(sentence) and not _PROBLEM.search(_PROBLEM_NOT.sub(" ", sentence))
    ):
        found.add(Facet.PROBLEM)
    if _FREQUENCY.search(sentence):
        found.add(Facet.FREQUENCY)
    referral = bool(_REFERRAL.search(sentence))
    if referral:
        found.add(Facet.REFERRAL)
    elif _PEOPLE.search(sentence):
        found.add(Facet.PEOPLE)
    if _WORKAROUND.search(sentence) and not planned_only(sentence):
        found.add(Facet.WORKAROUND)
    if _COST.search(sentence):
        found.add(Facet.COST)
    if _COMMITMENT.search(sentence) or _INTRODUCTION.search(sentence):
        found.add(Facet.COMMITMENT)
    if is_occurrence(sentence):
        found.add(Facet.OCCURRENCE)
    return frozenset(found)


_IMAGINED = _rx(
    r"\b(?:would|could|might|if|unless|going to|gonna|planning to|plan to|want to|i'd like|we'd like)\b|"
    r"\b(?:i|we|it|you|they)'d\b|\b(?:i|we|it|that|this)(?:'ll| will) (?!usually|normally|just|often)",
    r"\b(?:si|ojalá|voy a|vamos a)\b|\b\w{3,}(?:ría|rían|ríamos)\b",
    r"\b(?:si|s'ils|s’ils|s'il|s’il|je vais|on va)\b|\b\w{3,}(?:rais|rait|raient|rions)\b",
)


def planned_only(sentence: str) -> bool:
    """A tool named only as a plan or in an imagined case ("I might try a spreadsheet", "if it
    works with WhatsApp I'd try it") is not a workaround; a habit or a past use is."""
    if _PLAN_ONLY.search(sentence) is None and _IMAGINED.search(sentence) is None:
        return False
    return not PAST.search(sentence) and not HABIT.search(sentence)


def is_occurrence(sentence: str) -> bool:
    """A sentence anchored at a specific past time and told in the past tense."""
    anchor = TIME_ANCHOR.search(sentence)
    if anchor is None or not PAST.search(sentence):
        return False
    return NON_OCCURRENCE_TIME.search(sentence) is None or len(TIME_ANCHOR.findall(sentence)) > 1


# ------------------------------------------------------------------------------ act cues
CUES: dict[str, re.Pattern[str]] = {
    "time_anchor": TIME_ANCHOR,
    "past": PAST,
    "habit": HABIT,
    "modal": MODAL,
    "opinion": OPINION,
    "clarify": CLARIFY,
    "ask_interviewer": ASK_INTERVIEWER,
    "decline": DECLINE,
    "injection": INJECTION,
    "unrelated": UNRELATED,
}
_EMOJI = re.compile(r"[\U0001F000-\U0001FAFF\u2600-\u27BF\u2B00-\u2BFF\uFE0F\u200d]")
_TAG_QUESTION = _rx(
    r"(?:,\s*)?(?:you know|right|isn't it|don't you think|no|eh|innit|huh|yeah|n'est-ce pas|non|¿no|"
    r"verdad|vale|tu vois|hein)\s*\?+\s*$"
)


def is_real_question(sentence: str) -> bool:
    """A sentence that asks something, not a rhetorical tag ("…, you know?")."""
    stripped = sentence.strip()
    if not (stripped.endswith("?") or stripped.startswith("¿")):
        return False
    return _TAG_QUESTION.search(stripped) is None or len(words(stripped)) <= 2


def is_emoji_only(text: str) -> bool:
    """Only emoji, punctuation and space ("👍", "🤷‍♀️ ...")."""
    rest = _EMOJI.sub("", text)
    return bool(text.strip()) and not any(ch.isalnum() for ch in rest)


@functools.lru_cache(maxsize=2048)
def sentence_cues(sentence: str) -> tuple[int, ...]:
    """How often each of :data:`CUES` occurs in one sentence, in its order (cached: the act and
    the facet classifiers both read them)."""
    return tuple(len(pattern.findall(sentence)) for pattern in CUES.values())


def cue_counts(answer: str, sentences: Iterable[str]) -> dict[str, float]:
    """Counts of meaningful cues over the answer (its sentences'), for the act classifier."""
    sentences = list(sentences) or [answer]
    per_sentence = [sentence_cues(s) for s in sentences]
    counts: dict[str, float] = {
        name: float(sum(cues[i] for cues in per_sentence)) for i, name in enumerate(CUES)
    }
    counts["occurrence_sentences"] = float(sum(1 for s in sentences if is_occurrence(s)))
    facets = [sentence_facets(s) for s in sentences]
    for facet in Facet:
        counts[f"facet_{facet.value}"] = float(sum(1 for found in facets if facet in found))
    counts["factual_sentences"] = float(sum(1 for found in facets if found - {Facet.ROLE}))
    questions = [s for s in sentences if is_real_question(s)]
    counts["questions"] = float(len(questions))
    counts["unrelated_questions"] = float(sum(1 for s in questions if not INTERVIEW_REFERENCE.search(s)))
    counts["ends_with_question"] = float(bool(sentences) and is_real_question(sentences[-1]))
    counts["starts_with_question"] = float(bool(sentences) and is_real_question(sentences[0]))
    counts["question_opener"] = float(sum(1 for s in questions if QUESTION_OPEN.search(s.strip())))
    counts["sentences"] = float(len(sentences))
    counts["emoji_only"] = float(is_emoji_only(answer))
    counts["first_person"] = float(
        len(
            re.findall(
                r"\b(?:i|i'm|i've|we|we're|my|our|yo|mi|nosotros|je|j'|on|nous|mon|ma)\b", answer, _FLAGS
            )
        )
    )
    return counts
