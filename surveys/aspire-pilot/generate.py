#!/usr/bin/env python3
"""Writes the three synthetic ASPIRE pilot exports in Qualtrics' CSV layout.

SYNTHETIC DATA. No real person answered these questions. The structure and the headline
figures are modelled on a published university evaluation of a school-improvement programme
(66 staff in 30 primary schools in three regional clusters; 100 per cent said the initial phase
was professionally supported, 98 per cent that the early analysis helped them prioritise
actions, 95 per cent that it made them think about new approaches). Names, schools, e-mail
addresses and phone numbers are invented; phone numbers use Ofcom's drama ranges.

Run from this folder: python3 generate.py  (deterministic: the same files every time)
"""
import csv
import random

AGREE = ["Strongly disagree", "Disagree", "Neither agree nor disagree", "Agree", "Strongly agree"]

ITEMS = [
    ("Q1_1", "The initial phase was professionally supported"),
    ("Q1_2", "The early analysis helped us prioritise actions to support change"),
    ("Q1_3", "The process made me think about new approaches to school improvement"),
    ("Q1_4", "The time the programme needed was manageable alongside my other duties"),
    ("Q2_1", "Senior leaders share a clear vision for improvement"),
    ("Q2_2", "Staff are involved in deciding improvement priorities"),
    ("Q2_3", "Improvement plans feel imposed on staff"),
    ("Q2_4", "Leaders use evidence to decide what to change"),
    ("Q3_1", "I am confident analysing pupil attainment data"),
    ("Q3_2", "Data are used to set targets for pupils"),
    ("Q3_3", "I find school data hard to interpret"),
    ("Q3_4", "Analysis of data informs my teaching"),
]
REVERSED = {"Q2_3", "Q3_3"}

SCHOOLS = {
    "West": {
        "Bristol": ["Ashton Vale Primary", "Brook Lane Primary", "Cotham Park Primary", "Hillfields Primary", "Redland Green Primary"],
        "Reading": ["Caversham Hill Primary", "Katesgrove Fields Primary", "Southcote Primary", "Tilehurst Meadow Primary", "Whitley Wood Primary"],
    },
    "South": {
        "West Sussex": ["Bognor Sands Primary", "Crawley Down Primary", "Horsham Lane Primary", "Lancing Vale Primary", "Worthing Park Primary"],
        "Kent": ["Ashford Oaks Primary", "Dover Cliffs Primary", "Maidstone Bridge Primary", "Margate Bay Primary", "Tonbridge Castle Primary"],
    },
    "North": {
        "Derby": ["Allestree Park Primary", "Chaddesden Wood Primary", "Mickleover Primary", "Normanton Lane Primary"],
        "Nottingham": ["Bulwell Forest Primary", "Clifton Grove Primary", "Sneinton Hill Primary"],
        "Sheffield": ["Hillsborough Park Primary", "Meersbrook Primary", "Walkley Bank Primary"],
    },
}
ROLES = ["Headteacher", "Senior leader", "Middle leader", "Teacher"]
FIRST = ["Amira", "Ben", "Chloe", "Daniel", "Ellie", "Farid", "Grace", "Harry", "Isla", "Jamal", "Katie", "Liam",
         "Maya", "Noah", "Olivia", "Priya", "Quinn", "Rosa", "Sam", "Tara", "Usman", "Violet", "Will", "Yasmin", "Zoe"]
LAST = ["Adeyemi", "Brennan", "Chowdhury", "Dawson", "Evans", "Fraser", "Gill", "Hartley", "Iqbal", "Jones", "Kowalski",
        "Lloyd", "Murphy", "Nolan", "Okafor", "Patel", "Quigley", "Reid", "Singh", "Thompson", "Underwood", "Vaughan",
        "Walsh", "Young", "Zielinski"]

# "What has changed in your school as a consequence?" — written by hand, by theme.
WAVE1_COMMENTS = [
    # staff morale
    "Staff morale is better - people feel listened to for the first time in years.",
    "Morale among staff has improved a lot, there is a real buzz in the staffroom.",
    "Better staff morale. Teachers feel their ideas count.",
    "Staff morale is much higher and fewer people talk about leaving.",
    "morale has improved across the whole staff team",
    "The staff feel more valued and morale is noticeably better.",
    "Staff moral is better than it was last year",
    "Happier staff, morale up, and less sickness absence.",
    "Improved morale - staff are more positive about change.",
    "Higher staff morale; please contact me on 07700 900461 if you want to know more.",
    # teaching
    "Improved teaching: lessons are better planned and more engaging.",
    "The quality of teaching has improved, especially in maths.",
    "Teachers are sharing good practice and teaching has got better.",
    "Improved teaching across KS2, with more focus on questioning.",
    "Better teaching in most classrooms, observations show it.",
    "Teaching quality is more consistent between classes.",
    "Lesson observations show improved teaching and learning.",
    "Improved teaching and more challenge for the most able pupils.",
    "teachng is better planned and pupils are more engaged in lessons",
    "Our teaching has improved because we coach each other.",
    # target-setting
    "Improved target-setting for every pupil.",
    "Target setting is sharper and pupils know their targets.",
    "We now set targets termly and review them with the children.",
    "Improved target setting - targets are realistic but challenging.",
    "Pupil targets are set using the data and shared with parents.",
    "Clearer targets for each year group and each child.",
    "Target-setting is now a whole-school process.",
    "More ambitious targets, and children talk about their targets.",
    "Targets are reviewed every half term, which keeps us focused.",
    "Better target setting for pupils with SEN.",
    # data analysis
    "Improved understanding and analysis of data.",
    "Staff understand the data much better and use it to spot gaps.",
    "We analyse pupil progress data every half term now.",
    "Much better analysis of data across the school.",
    "Data analysis is no longer just the head's job; all staff understand the data.",
    "Improved analysis of assessment data to find which pupils are falling behind.",
    "Understanding of data has improved and we use tracking data to act quickly.",
    "Better use of data to decide interventions. Email me at j.hartley@oakfield-primary.sch.uk for our tracker.",
    "We understand our data and can analyse progress by group.",
    "Analysis of data is more rigorous and shared in staff meetings.",
    # marking
    "Improved marking - more consistent across the school.",
    "Marking is more focused and pupils respond to feedback.",
    "Our marking policy is clearer and marking is quicker.",
    "Improved marking and feedback in books.",
    "Marking is consistent and children act on the marking comments.",
    "Better marking; feedback is more useful to the children.",
    "Marking and feedback are more consistent between teachers.",
    "Markng is more purposeful and linked to feedback",
    # workload
    "Workload has increased, especially for middle leaders.",
    "The workload is heavy and meetings eat into planning time.",
    "More paperwork and a bigger workload for teachers.",
    "Workload is a concern; the extra meetings take time.",
    "Time pressure and workload have gone up this term.",
    "Heavier workload but it has been worth it, says {own_name}.",
    # not substantive
    "n/a",
    "Nothing yet",
    "-",
]

WAVE2_COMMENTS = [
    # staff morale
    "Staff morale has stayed high all year.",
    "Morale is good and staff turnover has fallen.",
    "Staff morale is better and people volunteer to lead projects.",
    "Better morale in the staff team, we celebrate success more.",
    "Morale among teaching assistants has improved too.",
    "The staff are happier and morale is much better than two years ago.",
    "Staff morale improved; call 0117 496 0781 to visit us.",
    # teaching
    "Teaching is consistently good across the school now.",
    "Improved teaching in reading, pupils are more fluent.",
    "The quality of teaching has improved and Ofsted noticed it.",
    "Teachers plan together and teaching is stronger.",
    "Improved teaching of writing in upper key stage 2.",
    "Teaching has improved through peer coaching.",
    "Better teaching and higher expectations in every class.",
    # target-setting
    "Target setting is embedded and pupils own their targets.",
    "Targets for every pupil are reviewed with parents each term.",
    "Improved target-setting using our tracking system.",
    "Target setting for disadvantaged pupils is much sharper.",
    "Targets are more ambitious and most pupils meet them.",
    "Our target setting is realistic and shared by all staff.",
    # data analysis
    "Analysis of data is routine and every teacher understands the data.",
    "We use data analysis to plan interventions each half term.",
    "Staff understand assessment data and analyse it confidently.",
    "Data analysis now drives our pupil progress meetings.",
    "Understanding of data is much better; see www.meersbrook-primary.example/data for our approach.",
    "Improved analysis of data by subject leaders.",
    "Better use of data to spot gaps early.",
    "Every teacher can analyse the data for their class.",
    # marking
    "Marking is consistent and quicker since the new policy.",
    "Improved marking and verbal feedback in lessons.",
    "Marking is more useful and children respond to feedback.",
    "Our marking policy is simpler and marking is consistent.",
    "Better marking with less time spent writing comments.",
    # workload
    "Workload is more manageable now the systems are in place.",
    "Workload is still heavy at assessment points.",
    "Less workload than last year because meetings are shorter.",
    # not substantive
    "N/A",
    "nothing to add",
]

# Wave 3 (autumn 2027): the third year, written by hand like the others.
WAVE3_COMMENTS = [
    # staff morale
    "Staff morale is steady; the team is settled and supportive.",
    "Morale dipped after the restructure but is recovering.",
    "Better morale than when we started, staff feel trusted.",
    "Staff morale is good and new teachers say they feel welcome.",
    "Morale is high; we have kept almost all our staff this year.",
    # teaching
    "Teaching is strong in most classes and we coach new staff.",
    "Improved teaching of phonics in key stage 1.",
    "The quality of teaching has held up even with new staff.",
    "Teachers share planning and teaching is more consistent.",
    "Better teaching in maths, pupils explain their reasoning.",
    "Improved teaching, especially questioning in upper key stage 2.",
    # target-setting
    "Target setting is part of everyday practice now.",
    "Pupil targets are reviewed with families every term.",
    "Improved target-setting for pupils who joined mid-year.",
    "Targets are ambitious and pupils track their own progress.",
    # data analysis
    "Data analysis is routine; every teacher uses the tracker.",
    "We analyse the data each half term and act on it quickly.",
    "Understanding of data is good, though new staff need training.",
    "Better analysis of data by governors as well as staff; ring 0113 496 0219 for our pack.",
    "Improved analysis of data for pupils with SEN.",
    "Analysis of data shows which interventions work.",
    # marking
    "Marking is quick and consistent across the school.",
    "Improved marking with more verbal feedback.",
    "Marking policy is embedded and children act on feedback.",
    # workload
    "Workload has crept up again with the new curriculum.",
    "Workload is heavy at data drops but otherwise manageable.",
    "The workload of the programme is now part of normal routines.",
    "Workload is the one thing I would change; contact k.reid@example.org.",
    # not substantive
    "n/a",
    "Nothing more to say",
]

SESSIONS = ["Launch conference", "Data workshop", "Coaching sessions", "Leadership seminar",
            "Cluster network meeting", "Online module"]
# How likely a respondent is to have attended each session, per wave (the online module
# arrives in wave 2; the launch conference is only for new staff after wave 1).
ATTENDANCE = {
    1: [0.85, 0.7, 0.55, 0.35, 0.45, 0.0],
    2: [0.1, 0.6, 0.65, 0.4, 0.55, 0.5],
    3: [0.3, 0.5, 0.6, 0.35, 0.6, 0.55],
}

# "What should change?" — written by hand, like the comments above.
WAVE1_CHANGES = [
    "Less paperwork between the sessions, please.",
    "Fewer forms to fill in; the tracking sheets take too long.",
    "The paperwork could be halved without losing anything.",
    "Cut the paperwork and give us the time back for planning.",
    "Too many forms - one page per term would do.",
    "Hold the sessions after school rather than in the school day, so we don't need cover.",
    "Sessions on a Friday afternoon are hard to get to.",
    "Please avoid the week before half term for workshops.",
    "Better timing of the meetings; they clash with parents' evenings.",
    "Give teaching assistants a place on the training too.",
    "Include our TAs - they run most of the interventions.",
    "Support staff should be involved, not just teachers.",
    "More time with the coach, one visit a term is not enough.",
    "More coaching in the classroom and less theory.",
    "I would like more coaching for new middle leaders.",
    "More chances to visit other schools in the cluster.",
    "Let us see what other schools are doing - a shared folder of examples would help.",
    "More sharing between schools, we all reinvent the same things.",
    "The data workshop went too fast for people new to the tracker.",
    "Data training at two levels, beginners and confident users.",
    "Something on using data in the foundation stage please.",
    "Nothing, it works well as it is.",
    "Keep it as it is.",
    "Can't think of anything.",
    "Clearer dates for the whole year at the start.",
    "Send the materials before the sessions so we can read them first.",
    "Mrs Okafor's sessions were great - more of those.",
    "Shorter sessions. Two hours after teaching all day is a lot.",
    "More on reading and phonics, less on maths.",
    "n/a",
]

WAVE2_CHANGES = [
    "The online module should be shorter and work on a phone.",
    "The online module logs you out too often.",
    "Make the online module optional for experienced staff.",
    "Less paperwork still - the termly return is too long.",
    "The termly paperwork duplicates what we already record.",
    "Fewer forms, more conversations.",
    "Keep the coaching, it is the most useful part.",
    "More coaching time for teachers in their first years.",
    "Coaching visits were cancelled twice this year; they need protecting.",
    "TAs still are not included and they should be.",
    "Teaching assistants need the data training too.",
    "More cluster meetings where we look at pupils' work together.",
    "Visits to other schools would help more than another workshop.",
    "Sessions clash with assessment weeks; please plan around them.",
    "After-school sessions finish too late in winter.",
    "Better notice of dates, we found out about one session the day before.",
    "Nothing to change.",
    "It is fine as it is.",
    "Share the evaluation findings with staff, not just heads.",
    "Tell us what the survey results were last year.",
    "More on behaviour and attendance, not only attainment.",
    "Dr Brennan's data session should be repeated for new staff.",
    "-",
    "More time. Everything else is good.",
    "Shorter surveys!",
]

WAVE3_CHANGES = [
    "New staff need an induction to the programme; they missed the launch.",
    "An introduction for staff who joined this year would help.",
    "Repeat the first workshops for new starters.",
    "Paperwork is better but the termly return could go online.",
    "Less paperwork, the online form is still slow.",
    "Keep the coaching going after the programme ends.",
    "More coaching please, it makes the biggest difference.",
    "Support staff should be invited to the cluster meetings.",
    "Include TAs and lunchtime staff in the behaviour part.",
    "Plan the sessions around the new curriculum deadlines.",
    "The timing of the sessions clashes with moderation.",
    "More sharing of resources between schools in the cluster.",
    "Pair us with a school further along so we can visit them.",
    "Nothing, keep it going.",
    "Keep it as it is.",
    "Fund supply cover so teachers can attend in the day.",
    "Tell us how long the programme will continue.",
    "The online module needs updating for the new curriculum.",
    "Give subject leaders their own sessions.",
    "n/a",
]


def schools():
    out = []
    for region, las in SCHOOLS.items():
        for la, names in las.items():
            for n in names:
                out.append((region, la, n))
    return out


def likert(rng, mean, sd=0.8):
    """A five-point answer around a latent mean."""
    v = round(rng.gauss(mean, sd))
    return min(5, max(1, v))


def fixed_counts(rng, n, counts):
    """Exactly these counts of codes (dict code → count), shuffled, filled with the rest."""
    values = [c for c, k in counts.items() for _ in range(k)]
    assert len(values) == n
    rng.shuffle(values)
    return values


def respondents(rng, n, wave):
    people = []
    school_list = schools()
    for i in range(n):
        region, la, school = school_list[i % len(school_list)]
        role = ROLES[(i * 7 + wave) % len(ROLES)] if i >= 30 else "Headteacher" if i % 3 == 0 else ROLES[1 + i % 3]
        first = FIRST[(i * 3) % len(FIRST)]
        last = LAST[(i * 7 + i // 25) % len(LAST)]
        people.append({
            "first": first, "last": last, "region": region, "la": la, "school": school, "role": role,
            "email": f"{first[0].lower()}.{last.lower()}{i}@{school.split()[0].lower()}-primary.sch.uk",
        })
    return people


def answers(rng, n, wave):
    """Codes per item per respondent. Wave 1 reproduces the published figures exactly."""
    cols = {}
    if wave == 1:
        cols["Q1_1"] = fixed_counts(rng, n, {5: 38, 4: 28})                 # 66/66 agree = 100 %
        cols["Q1_2"] = fixed_counts(rng, n, {5: 31, 4: 34, 3: 1})           # 65/66 = 98 %
        cols["Q1_3"] = fixed_counts(rng, n, {5: 27, 4: 36, 3: 2, 2: 1})     # 63/66 = 95 %
        cols["Q1_4"] = fixed_counts(rng, n, {5: 9, 4: 27, 3: 14, 2: 12, 1: 4})
    elif wave == 2:
        cols["Q1_1"] = fixed_counts(rng, n, {5: 40, 4: 29, 3: 1})
        cols["Q1_2"] = fixed_counts(rng, n, {5: 36, 4: 32, 3: 2})
        cols["Q1_3"] = fixed_counts(rng, n, {5: 33, 4: 34, 3: 2, 2: 1})
        cols["Q1_4"] = fixed_counts(rng, n, {5: 24, 4: 37, 3: 5, 2: 3, 1: 1})
    else:
        # The third year: support still near-universal, manageability eases back a little.
        cols["Q1_1"] = fixed_counts(rng, n, {5: 35, 4: 29, 3: 2})
        cols["Q1_2"] = fixed_counts(rng, n, {5: 30, 4: 31, 3: 4, 2: 1})
        cols["Q1_3"] = fixed_counts(rng, n, {5: 26, 4: 32, 3: 6, 2: 2})
        cols["Q1_4"] = fixed_counts(rng, n, {5: 17, 4: 33, 3: 9, 2: 5, 1: 2})
    for scale, items in (("lead", ["Q2_1", "Q2_2", "Q2_3", "Q2_4"]), ("data", ["Q3_1", "Q3_2", "Q3_3", "Q3_4"])):
        shift = {1: {"lead": 0.0, "data": 0.0}, 2: {"lead": 0.55, "data": 0.7}, 3: {"lead": 0.6, "data": 0.5}}[wave][scale]
        for it in items:
            cols[it] = []
        for r in range(n):
            latent = rng.gauss(3.5 + shift, 0.75)
            for it in items:
                v = likert(rng, latent, 0.6)
                cols[it].append(6 - v if it in REVERSED else v)
    return cols


def further_answers(rng, n, wave):
    """The sessions, hours and "What should change?" answers, from their own random stream, so
    the earlier columns (and the published figures) are the same as before they were added."""
    sessions, hours = [], []
    for _ in range(n):
        ticked = [s for s, p in zip(SESSIONS, ATTENDANCE[wave]) if rng.random() < p]
        sessions.append(",".join(ticked))  # Qualtrics joins a check-all answer with commas
        h = rng.random()
        if h < 0.06:
            hours.append("")
        else:
            hours.append(f"{max(0.5, min(8.0, round(rng.gauss(2.0 + 0.3 * wave, 1.1) * 2) / 2)):g}")
    changes = [""] * n
    slots = list(range(n))
    rng.shuffle(slots)
    for slot, c in zip(slots, {1: WAVE1_CHANGES, 2: WAVE2_CHANGES, 3: WAVE3_CHANGES}[wave]):
        changes[slot] = c
    return sessions, hours, changes


def write(path, wave, rng, further_rng):
    n = {1: 66, 2: 70, 3: 66}[wave]
    people = respondents(rng, n, wave)
    if wave == 3:
        # A third of wave 3 are new staff; the rest answered before (the same e-mail address,
        # so the panel comparison matches them).
        for i in range(0, n, 3):
            first, last = FIRST[(i * 5 + 2) % len(FIRST)], LAST[(i * 11 + 3) % len(LAST)]
            people[i].update(first=first, last=last,
                             email=f"{first[0].lower()}.{last.lower()}{i}n@{people[i]['school'].split()[0].lower()}-primary.sch.uk")
    cols = answers(rng, n, wave)
    sessions, hours, should_change = further_answers(further_rng, n, wave)
    comments = {1: WAVE1_COMMENTS, 2: WAVE2_COMMENTS, 3: WAVE3_COMMENTS}[wave]
    text = [""] * n
    slots = list(range(n))
    rng.shuffle(slots)
    for slot, c in zip(slots, comments):
        text[slot] = c.replace("{own_name}", f"{people[slot]['first']} {people[slot]['last']}")
    # Some "Don't know" and blanks on the scale items (never on Q1_1–Q1_3, the published ones).
    dont_know = {("Q3_1", 5), ("Q3_3", 17), ("Q2_2", 40)}
    blank = {("Q2_4", 12), ("Q3_2", 33), ("Q3_4", 50)}
    meta = ["StartDate", "EndDate", "Status", "IPAddress", "Progress", "Duration (in seconds)", "Finished",
            "RecordedDate", "ResponseId", "RecipientLastName", "RecipientFirstName", "RecipientEmail",
            "ExternalReference", "LocationLatitude", "LocationLongitude", "DistributionChannel", "UserLanguage"]
    meta_text = ["Start Date", "End Date", "Response Type", "IP Address", "Progress", "Duration (in seconds)",
                 "Finished", "Recorded Date", "Response ID", "Recipient Last Name", "Recipient First Name",
                 "Recipient Email", "External Data Reference", "Location Latitude", "Location Longitude",
                 "Distribution Channel", "User Language"]
    meta_import = ['{"ImportId":"startDate","timeZone":"Europe/London"}', '{"ImportId":"endDate","timeZone":"Europe/London"}',
                   '{"ImportId":"status"}', '{"ImportId":"ipAddress"}', '{"ImportId":"progress"}', '{"ImportId":"duration"}',
                   '{"ImportId":"finished"}', '{"ImportId":"recordedDate","timeZone":"Europe/London"}', '{"ImportId":"_recordId"}',
                   '{"ImportId":"recipientLastName"}', '{"ImportId":"recipientFirstName"}', '{"ImportId":"recipientEmail"}',
                   '{"ImportId":"externalDataReference"}', '{"ImportId":"locationLatitude"}', '{"ImportId":"locationLongitude"}',
                   '{"ImportId":"distributionChannel"}', '{"ImportId":"userLanguage"}']
    item_ids = [i for i, _ in ITEMS]
    header1 = meta + item_ids + ["Q4", "Q5", "Q6", "Q7", "Role", "Region", "LocalAuthority", "School"]
    header2 = meta_text + [f"To what extent do you agree? - {t}" for _, t in ITEMS] + [
        "What has changed in your school as a consequence?",
        "Which programme sessions did you attend? (Select all that apply)",
        "About how many hours a week do you spend on the programme?",
        "What should change?", "Role", "Region", "LocalAuthority", "School"]
    header3 = meta_import + ['{"ImportId":"QID%s"}' % i[1:] for i in item_ids] + [
        '{"ImportId":"QID4_TEXT"}', '{"ImportId":"QID5"}', '{"ImportId":"QID6_TEXT"}', '{"ImportId":"QID7_TEXT"}',
        '{"ImportId":"Role"}', '{"ImportId":"Region"}', '{"ImportId":"LocalAuthority"}', '{"ImportId":"School"}']
    year = {1: 2025, 2: 2026, 3: 2027}[wave]

    def value(code):
        return AGREE[code - 1] if wave == 1 else str(code)

    def row(i, p, status="IP Address", progress=100, finished=True, channel="email", answers_for=None, comment=None,
            further=("", "", "")):
        day = 6 + i % 20
        minute = (i * 13) % 60
        start = f"{year}-10-{day:02d} {9 + i % 8:02d}:{minute:02d}:00"
        end = f"{year}-10-{day:02d} {9 + i % 8:02d}:{min(59, minute + 9):02d}:{(i * 7) % 60:02d}"
        status_value = status if wave == 1 else {"IP Address": "0", "Survey Preview": "1"}[status]
        finished_value = ("True" if finished else "False") if wave == 1 else ("1" if finished else "0")
        vals = []
        for it in item_ids:
            if answers_for is None:
                vals.append("")
            elif (it, i) in dont_know:
                vals.append("Don't know" if wave == 1 else "Don't know")
            elif (it, i) in blank:
                vals.append("")
            else:
                vals.append(value(answers_for[it]))
        return [start, end, status_value, f"192.0.2.{(i * 37) % 250 + 1}", str(progress), str(300 + (i * 53) % 900),
                finished_value, end, f"R_{wave}{rng.getrandbits(48):012x}", p["last"], p["first"], p["email"], "",
                f"{51.0 + (i % 30) / 20:.4f}", f"{-2.5 + (i % 17) / 10:.4f}", channel, "EN-GB"] + vals + [
                comment if comment is not None else "", *further, p["role"], p["region"], p["la"], p["school"]]

    rows = []
    for i, p in enumerate(people):
        rows.append(row(i, p, answers_for={it: cols[it][i] for it in item_ids}, comment=text[i],
                        further=(sessions[i], hours[i], should_change[i])))
    # Excluded rows, spliced in where a real export would have them (by start time, roughly).
    preview = {"first": "Survey", "last": "Builder", "region": "", "la": "", "school": "", "role": "", "email": ""}
    full = {it: 4 for it in item_ids}
    rows.insert(0, row(900, preview, status="Survey Preview", channel="preview", answers_for=full, comment="testing the survey",
                           further=("Data workshop", "1", "test")))
    rows.insert(1, row(901, preview, status="Survey Preview", channel="preview", answers_for=full, comment="test again"))
    rows.insert(20, row(902, people[3], progress=35, finished=False, answers_for=None))
    rows.insert(41, row(903, people[8], progress=60, finished=False, answers_for=None))
    if wave == 1:
        rows.insert(55, row(904, people[20], progress=12, finished=False, answers_for=None))
        # The same person submitting twice: the second submission is a duplicate.
        rows.insert(60, row(905, people[10], answers_for={it: 3 for it in item_ids}, comment="Submitted twice by mistake",
                           further=("Data workshop,Coaching sessions", "2", "")))
    with open(path, "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f, lineterminator="\r\n")
        w.writerow(header1)
        w.writerow(header2)
        w.writerow(header3)
        w.writerows(rows)


if __name__ == "__main__":
    write("exports/wave-1.csv", 1, random.Random(20251006), random.Random(2025100601))
    write("exports/wave-2.csv", 2, random.Random(20261005), random.Random(2026100501))
    write("exports/wave-3.csv", 3, random.Random(20271004), random.Random(2027100401))
