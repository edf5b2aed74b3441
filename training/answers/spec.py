"""Seeded writing briefs for the answer reader's training examples.

Each brief names who answers, to which interview question, with which act, length, style and
(sometimes) a borderline convention of shared/data/answers/README.md to exercise. The examples
themselves are written by hand (by people or assistants who never see a measuring file) from
these briefs, so that the training set is balanced over acts, varied in trade, length, style and
language, and covers the borderline cases the definitions settle.

    python training/answers/spec.py --seed 1 --count 480 > briefs.jsonl             # round 1
    python training/answers/spec.py --seed 5 --count 320 --round 2 > briefs.jsonl   # round 2
    python training/answers/spec.py --seed 7 --count 270 --round 3 > briefs.jsonl   # round 3
    python training/answers/spec.py --seed 9 --count 250 --round 4 > briefs.jsonl   # round 4
"""

from __future__ import annotations

import argparse
import json
import random

PERSONAS_EN = [
    "owner of a two-chair barber shop",
    "dispatcher at a regional trucking firm",
    "office manager at a dental practice",
    "head baker at a small bakery",
    "freelance wedding photographer",
    "plumber who runs a three-van business",
    "bookkeeper for small clients",
    "practice manager at a vet clinic",
    "HR generalist at a 200-person manufacturer",
    "customer support lead at a B2B SaaS company",
    "primary school teacher",
    "school office manager",
    "owner of a florist shop",
    "sous-chef in a busy restaurant",
    "café owner",
    "independent pharmacist",
    "warehouse shift supervisor",
    "property manager for 40 rental flats",
    "physiotherapist with her own clinic",
    "landscaping company owner",
    "Etsy seller of handmade jewellery",
    "freelance translator",
    "event planner",
    "operations lead at a food-delivery startup",
    "IT admin at a law firm",
    "accounts payable clerk",
    "farm owner selling vegetables at markets",
    "electrician working alone",
    "hotel front-desk manager",
    "nurse coordinator at a care home",
    "gym owner",
    "driving instructor",
    "small brewery owner",
    "marketing freelancer for local shops",
    "car mechanic with a garage",
    "librarian at a public library",
    "PhD student in molecular biology who uses AI chatbots to write code",
    "novelist who uses AI for research",
    "voice actor who records audiobooks",
    "security analyst who checks AI output against sources",
    "graphic designer who uses AI image tools",
    "high-school maths teacher who uses AI to write exercises",
    "data scientist at an insurance company",
    "software developer who uses AI coding assistants",
    "journalist at a local newspaper",
    "UX researcher at an agency",
    "architect at a small studio",
    "social worker managing a caseload",
    "real-estate agent",
    "tattoo artist with a studio",
    "fitness coach selling online programmes",
    "music teacher giving private lessons",
    "dog groomer",
    "pet-sitting business owner",
    "wine-shop owner",
    "cleaning company owner with 12 staff",
    "construction site manager",
    "recruiter at a staffing agency",
    "project manager at a web agency",
    "lab technician in a hospital",
    "pharmacy technician",
    "hairdresser",
    "bike-repair shop owner",
    "print-shop owner",
    "second-hand bookshop owner",
    "yoga studio owner",
    "caterer",
    "food-truck owner",
    "tax adviser",
    "insurance broker",
    "e-commerce manager for a clothing brand",
    "sales rep for an industrial supplier",
    "school bus company owner",
    "museum education officer",
    "research scientist in climate modelling",
    "copywriter at an agency",
    "video editor making promo videos",
    "podcast producer",
    "game designer making board games",
    "church administrator",
    "non-profit fundraising coordinator",
    "city council clerk",
    "hospital ward manager",
]
PERSONAS_ES = [
    "dueña de una peluquería en Sevilla",
    "agricultor que vende fruta a cooperativas",
    "encargado de un taller mecánico",
    "gerente de un restaurante familiar",
    "contable autónoma",
    "profesora de primaria",
    "dueño de una ferretería",
    "fisioterapeuta con consulta propia",
    "diseñadora gráfica freelance que usa IA",
    "responsable de almacén",
]
PERSONAS_FR = [
    "fleuriste à Lyon",
    "boulanger dans un village",
    "médecin généraliste en cabinet",
    "gérante d'une agence immobilière",
    "artisan plombier",
    "traductrice indépendante",
    "responsable logistique d'une PME",
    "professeur de collège",
    "restauratrice à Marseille",
    "comptable dans un cabinet",
]
QUESTIONS = [
    ("role", "To start, tell me a little about your role. What does a typical day look like?"),
    ("context", "What are the main things you're trying to get done in your work right now?"),
    ("hardest", "What's the hardest part about getting that done?"),
    ("last_time", "Tell me about the last time that happened. What exactly went on?"),
    ("how_often", "How often does this come up, and who else is involved when it does?"),
    ("workaround", "What did you do about it? What have you tried so far to solve it?"),
    ("cost", "What does this problem cost you, in time, money or anything else?"),
    ("pitch", "We're building a tool for this problem. Could I show you an early version next week?"),
    ("reaction", "What worries you, if anything, about changing how you do this today?"),
    ("who_else", "Who else do you know who has this problem? We'd love to hear their story too."),
    ("anything_else", "What else should I have asked you about?"),
    ("probe_specific", "Can you think of one specific time? Walk me through it."),
    ("probe_more", "Can you say more about that?"),
    ("ai_use", "How do you use AI tools in your work today?"),
    ("ai_change", "How has that changed the way you work?"),
    ("ai_worry", "Is there anything about using AI in your work that concerns you?"),
]
ACTS = ["story", "general", "hypothetical", "opinion", "minimal", "question", "off_topic", "decline"]
TWISTS = {
    "story": [
        "a hedged date ('two weeks ago? maybe three')",
        "past 'would' with a time anchor ('Last winter I would...')",
        "ends with a check-in question ('does that help?')",
        "a story that answers a different question",
        "a narrated one-off event without a date word",
        "also generalises after the story",
        "mentions the cost in money",
        "mentions who else was there",
    ],
    "general": [
        "habitual will/would without a time anchor ('I'll usually just call them')",
        "a time word that does not anchor an occurrence ('we only opened in June')",
        "asked for a specific time but gives the routine",
        "a worry told as something that already happens",
        "says how often",
        "describes the tools they use every week",
        "rhetorical tag question ('you know?')",
    ],
    "hypothetical": [
        "a real spec of what a tool must do",
        "an imagined consequence ('if it goes down on a Saturday we'd...')",
        "plans for next season not yet tried",
        "conditional willingness ('I'd probably give it a go')",
        "a wish about the future",
        "a guess at a cost if something changed",
    ],
    "opinion": [
        "praise of the idea with a small wish attached",
        "a bare stance ('I don't trust cloud stuff')",
        "skeptical about AI or new tools in general",
        "a judgment of the interview itself",
        "a feeling about a product they use, without facts",
        "mixed feelings about change",
    ],
    "minimal": [
        "yes / no / ok",
        "an emoji only",
        "idk / not sure",
        "a bare 'nope' or 'nothing'",
        "'fine' or 'it's ok'",
        "a one-word non-answer with a typo",
    ],
    "question": [
        "asks to clarify the question",
        "asks who the interviewer is",
        "asks whether this is a sales call",
        "asks how their answers will be used or shared",
        "asks how much the product will cost",
        "'??' or 'huh?'",
        "a real question first, then a fact about their work",
    ],
    "off_topic": [
        "prompt injection aimed at the bot",
        "prompt injection with a real fact riding along",
        "a question unrelated to the interview (sport, weather)",
        "a message meant for someone else",
        "spam or a link",
        "a joke or chatter about their day unrelated to work",
    ],
    "decline": [
        "refusal with a reason",
        "wants to stop the interview",
        "one-word refusal ('pass', 'next')",
        "asks to skip, phrased as a question",
        "refuses to type and offers a call instead",
        "won't name other people",
    ],
}
# A second round of briefs (``--round 2``) asks for what the first round had little of: facts
# that ride on any act (a referral, a concrete offer), goals and worries, answers that repeat
# what was said before, and long spoken-style answers about using AI at work.
ROUND_2_TWISTS = [
    "mentions a named friend, relative or other business with the same problem (a referral)",
    "offers to ask around or introduce someone",
    "offers something concrete: a call at a given time, their data, a pilot, a demo slot (a commitment)",
    "states what they are trying to get done this year, with their job in it",
    "says what worries them about changing how they work",
    "repeats something already said earlier ('like I said', 'I already told you')",
    "a long, spoken-style answer about how they use an AI chatbot at work",
    "mixes a complaint with a description of their routine",
]
# A third round (``--round 3``) asks for short answers, where words are few and a reader must
# not mistake a plain statement about work for chatter: fragments, impersonal statements, and
# answers that carry on from the previous one.
ROUND_3_ACTS = [
    "story",
    "general",
    "general",
    "hypothetical",
    "opinion",
    "opinion",
    "question",
    "decline",
    "off_topic",
]
ROUND_3_LENGTHS = ["one short sentence or fragment (4-15 words)", "two short sentences (under 30 words)"]
ROUND_3_TWISTS = [
    "impersonal: no 'I', 'we' or 'my' (e.g. a statement about a supplier, a tool or the job)",
    "a fragment without a full verb",
    "carries on from the previous answer ('After that...', 'Then...', 'It works, but...')",
    "a short complaint about a tool, supplier, customer or process",
    "a short mention of someone else with the same problem",
    "a number or a time with a few words",
    "mentions a place, a meal time or the weather while talking about work",
]
# A fourth round (``--round 4``) asks for contrasts a reader gets wrong when it leans on single
# words: named suppliers, firms and people in stories that are not referrals, referrals put in
# many ways, goals and plans that are not chatter, work told through food, weather, places or
# family, and real chatter that happens to use work words.
ROUND_4_BRIEFS = [
    (
        "story",
        "names a supplier, a firm or a person involved (NOT someone with the same problem: no referral)",
    ),
    ("general", "names the suppliers, tools, firms and people they deal with every week (no referral)"),
    ("general", "a goal or plan for this year's work, plainly stated"),
    ("hypothetical", "a plan or goal not started yet, plainly stated"),
    ("general", "a referral: someone specific with the same problem, said in an unusual way"),
    ("story", "a referral riding on a short story about someone else's similar trouble"),
    ("general", "work told through food, weather, a place or family (still about their work)"),
    ("story", "work told through food, weather, a place or family (still about their work)"),
    ("off_topic", "real chatter that happens to use work words (a message meant for a colleague, an ad)"),
    ("opinion", "names a product or company they like or dislike, no facts"),
]
LENGTHS = [
    "short (one sentence, under 15 words)",
    "medium (2-3 sentences)",
    "long (4-8 sentences, 60-150 words)",
]
STYLES = [
    "clean",
    "casual, lowercase, little punctuation",
    "a few typos",
    "texting abbreviations",
    "formal and polite",
    "rambling spoken style",
]


def briefs(
    seed: int, count: int, round_two: bool = False, round_three: bool = False, round_four: bool = False
) -> list[dict[str, object]]:
    rng = random.Random(seed)
    out: list[dict[str, object]] = []
    for n in range(count):
        if round_four:
            act, twist = ROUND_4_BRIEFS[n % len(ROUND_4_BRIEFS)]
            roll = rng.random()
            lang, persona = (
                ("es", rng.choice(PERSONAS_ES))
                if roll < 0.15
                else (("fr", rng.choice(PERSONAS_FR)) if roll < 0.27 else ("en", rng.choice(PERSONAS_EN)))
            )
            qid, question = rng.choice(QUESTIONS)
            out.append(
                {
                    "n": n,
                    "lang": lang,
                    "persona": persona,
                    "q": qid,
                    "question": question,
                    "act": act,
                    "length": rng.choice([*ROUND_3_LENGTHS, LENGTHS[1]]),
                    "style": rng.choice(STYLES),
                    "twist": twist,
                }
            )
            continue
        if round_three:
            act = ROUND_3_ACTS[n % len(ROUND_3_ACTS)]
            roll = rng.random()
            lang, persona = (
                ("es", rng.choice(PERSONAS_ES))
                if roll < 0.07
                else (("fr", rng.choice(PERSONAS_FR)) if roll < 0.13 else ("en", rng.choice(PERSONAS_EN)))
            )
            qid, question = rng.choice(QUESTIONS)
            out.append(
                {
                    "n": n,
                    "lang": lang,
                    "persona": persona,
                    "q": qid,
                    "question": question,
                    "act": act,
                    "length": rng.choice(ROUND_3_LENGTHS),
                    "style": rng.choice(STYLES),
                    "twist": rng.choice(ROUND_3_TWISTS) if rng.random() < 0.8 else None,
                }
            )
            continue
        act = ACTS[n % len(ACTS)]
        roll = rng.random()
        lang, persona = (
            ("es", rng.choice(PERSONAS_ES))
            if roll < 0.07
            else (("fr", rng.choice(PERSONAS_FR)) if roll < 0.13 else ("en", rng.choice(PERSONAS_EN)))
        )
        qid, question = rng.choice(QUESTIONS)
        length = "short (a word or two)" if act == "minimal" else rng.choice(LENGTHS)
        out.append(
            {
                "n": n,
                "lang": lang,
                "persona": persona,
                "q": qid,
                "question": question,
                "act": act,
                "length": length,
                "style": rng.choice(STYLES),
                "twist": (
                    rng.choice(ROUND_2_TWISTS)
                    if round_two and act != "minimal" and rng.random() < 0.7
                    else None
                )
                or (rng.choice(TWISTS[act]) if rng.random() < 0.6 else None),
            }
        )
    rng.shuffle(out)
    return out


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--count", type=int, default=500)
    parser.add_argument("--round", type=int, choices=(1, 2, 3, 4), default=1)
    args = parser.parse_args()
    rounds = {"round_two": args.round == 2, "round_three": args.round == 3, "round_four": args.round == 4}
    for brief in briefs(args.seed, args.count, **rounds):
        print(json.dumps(brief, ensure_ascii=False))


if __name__ == "__main__":
    main()
