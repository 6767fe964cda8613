#!/usr/bin/env python3
"""Builds data-samples/demo/responses.csv: the fictional demo consultation.

Everything here was written for this project. No real people, emails, phone numbers or NHS numbers:
emails use example.com, phone numbers use Ofcom's 07700 900xxx drama range, and the NHS number is the
standard test number. Deterministic: the only randomness comes from random.Random(SEED).

Run:  python3 data-samples/demo/make_demo.py
"""
import csv
import os
import random
from datetime import datetime, timedelta

SEED = 20261001
HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "responses.csv")

COLUMNS = ["response_id", "respondent_type", "organisation", "partner_type", "district", "channel",
           "submitted_at", "consent_to_quote", "age_band", "sex", "ethnic_group", "disability",
           "unpaid_carer", "chosen_outcome", "text"]

NS = "not-sure"
SUBS = []


def R(o, text, d=None, **kw):
    """One resident submission with one comment. o = the outcome the comment is really about (None = none)."""
    SUBS.append(dict(kind="resident", d=d, comments=[(o, text, kw.pop("choice", None))], **kw))


def RM(d, comments, **kw):
    """One resident submission with several comments: [(o, text) or (o, text, choice), ...]."""
    SUBS.append(dict(kind="resident", d=d, comments=[c if len(c) == 3 else (c[0], c[1], None) for c in comments], **kw))


def S(o, text, d=None, **kw):
    SUBS.append(dict(kind="staff", d=d, comments=[(o, text, kw.pop("choice", None))], **kw))


def SM(d, comments, **kw):
    SUBS.append(dict(kind="staff", d=d, comments=[c if len(c) == 3 else (c[0], c[1], None) for c in comments], **kw))


def P(org, ptype, d, ch, comments, **kw):
    SUBS.append(dict(kind="partner", org=org, ptype=ptype, d=d, ch=ch,
                     comments=[c if len(c) == 3 else (c[0], c[1], None) for c in comments], **kw))


# ---------------------------------------------------------------------------------------------------------
# Residents. Outcome 0: the strategy as a whole, the consultation, money, governance.
# ---------------------------------------------------------------------------------------------------------
R(0, "Lots of nice words but how will we know if anything actually changes? Publish progress every year in plain English please.")
R(0, "too long, too many buzzwords. what on earth is a logframe?? normal people will not read this")
R(0, "I support the vision, working together is obviously right. My worry is that when money gets tight each organisation will go back to protecting its own budget.")
R(0, "Who is held to account if these outcomes are not met? Partners monitoring themselves is marking your own homework.")
R(0, "Thank you for bringing the bus to Westwood Cross, much easier to chat to someone than fill in a form online", "T", ch="event")
R(0, "Is there an easy read version? My brother has a learning disability and wanted to have his say but couldnt follow it", dis="no", carer="yes")
R(0, "You asked us all of this in 2023. What happened to what we said then?")
R(0, "consultation fatigue. asked and asked and asked and nothing happens", choice=NS)
R(0, "Where is the money coming from to do all this? Every service I use has been cut in the last few years.")
R(0, "The six outcomes make sense but rural areas barely get a mention. Villages round Sevenoaks and Edenbridge have completely different problems to the towns.", "S")
R(0, "good strategy, now deliver it")
R(0, "I did this on my phone and the form timed out twice, nearly gave up", choice=NS)
R(0, "Please make sure you reach people who dont go online. My mum is 86 and only heard about this from a poster in the library.", ch="paper")
R(0, "It reads like it was written by managers for managers. Where are the patients in all this?")
R(0, "Prevention is the right idea but money never moves away from hospitals, its always the crisis that gets funded")
R(0, "how much did this consultation cost??", choice=NS)
R(0, "Medway is not Kent. We have our own council and our own problems and they get lost when everything is lumped together", "Med")
R(0, "I like the 'I' statements, they make it feel like it's about real people")
R(0, "not sure which box this goes in, its about everything really. nothing joins up, thats the problem", choice=NS)
R(0, "Please translate the summary. There are big Nepali and Polish communities in Ashford who will never read this in English", "A")
R(0, "The questions are leading. Of course everyone agrees people should be healthier, ask us something difficult")
R(0, "More councillors and NHS bosses should come to these events and listen, not just staff with clipboards", ch="event")
R(0, "Please post me a paper copy of the final strategy when it comes out as I don't use computers. My name is Margaret Doughty, 22 Bramble Close, Gillingham ME7 1AA.", "Med", ch="paper", age="75-plus", sex="female", consent="no")
R(0, "ICB, ICP, HCP, PCN, JSNA... its alphabet soup. Just explain who does what and who to ring")
R(0, "So many empty council and NHS buildings in our town centre. Use them for clinics and community groups instead of paying rent elsewhere.", "SW")
R(0, "Each district should have its own targets. Kent averages hide how bad things are in some places.")
R(0, "I dont trust it. We had the last strategy and the one before and nothing was different", choice=NS)
R(0, "Co-design means asking us at the start, not showing us a finished draft and asking if we like it")
R(0, "Be honest about what can't be done with the money you have. People respect honesty more than promises.")
R(0, "ok", choice=NS)
R(0, "I went to the drop in at the library in Tonbridge. Staff were lovely but we ran out of time before we got to half the things I wanted to say", "TMBC", ch="event")
R(0, "less strategy more doing")
R(0, "Please publish what you heard and what you changed because of it. A simple you said, we did would go a long way.")
R(0, "Happy to sit on a patient panel to help design the new services if you're looking for people. Contact me at tom.r.hale@example.com", "C", consent="no")
R(0, "The vision is fine. But a vision doesn't get my dad a care package.", choice=NS)

# Outcome 1: children and young people.
R(1, "We have been waiting two and a half years for an autism assessment for my son. School say they cant put support in without a diagnosis. He is now refusing to go in at all.", age="35-44", sex="female", carer="yes")
R(1, "My son Jayden Price (born 14/03/2015) has been waiting 40 weeks for his EHCP and his primary school in Sittingbourne says their hands are tied until it comes through.", "SW", consent="no", carer="yes")
R(1, "The EHCP process is a fight from start to finish. Our annual review was 5 months late and nobody told us why.")
R(1, "CAMHS turned my daughter away because she wasnt 'bad enough'. Three months later we were in A&E with her.", choice=5)
R(1, "the family hub in Sheerness is brilliant, the baby group saved my sanity", "SW", age="25-34", sex="female")
R(1, "Since the youth club in Herne Bay shut the teenagers have nowhere to go, so they hang round the shops and get blamed for it", "C")
R(1, "I only saw the health visitor once. She was lovely but clearly had far too many families to get round.")
R(1, "Two days of nursery a week costs more than I'd earn. Going back to work doesn't add up.", choice=2)
R(1, "bring back school nurses properly, my kids have never once seen one")
R(1, "Children in care round here get moved from placement to placement. They need stability more than anything.")
R(1, "My son has ADHD and turns 18 next year. Everything just stops at 18, it's like falling off a cliff.", age="45-54", sex="female", carer="yes")
R(1, "vaping at my daughters school in Dartford is out of control, year 7s doing it in the toilets", "Da")
R(1, "Older lads groomed my son into carrying drugs. We begged for help for months before anyone took it seriously.", choice=NS)
R(1, "Breastfeeding support in Medway is patchy. One midwife just told me to give formula and walked off.", "Med", age="25-34", sex="female")
R(1, "more school counsellors please, the waiting list at my sons secondary is a whole term")
R(1, "bullying in schools is still terrible", choice=NS)
R(1, "im 15 and loads of people in my year have anxiety but there isnt really anyone to talk to at school", age="under-18", sex="female")
R(1, "I'm 17. Texting a counsellor online is alright but sometimes you need someone actually sat there with you", age="under-18", sex="female")
R(1, "Parenting sessions only ever run in the daytime, so fathers with jobs can never go")
R(1, "My daughter's SEN taxi keeps changing drivers and it really upsets her. She needs the same face every day.", carer="yes")
R(1, "I had my third baby last year in Margate. The midwives were amazing but the postnatal ward was short staffed and I went home without anyone checking my stitches. My health visitor check was done over the phone. When feeding went wrong there was nobody to ask because the local breastfeeding group had closed. I ended up paying for a private lactation consultant, which most mums round here could never afford. Those first weeks matter so much for mum and baby.", "T", age="35-44", sex="female")
R(1, "Offer childhood jabs at the family hub, not just at the GP where you cant get an appointment for weeks", choice=4)
R(1, "Children with SEND are being excluded from mainstream school because the staff haven't had the training to cope")
R(1, "The play park near us in Northfleet is full of broken glass. Kids need somewhere safe to play.", "G", choice=2)
R(1, "The wait for speech and language therapy for my 3 year old is over a year. Those are the months that matter most.")
R(1, "Healthy school meals should be the norm and stop letting chicken shops open next to schools")
R(4, "Please don't forget young carers. My 12 year old helps look after me and nobody at her school knows.", dis="yes", choice=1)
R(1, "the early help worker was the first person who actually helped our family instead of judging us. more of them please")
R(1, "Care leavers need somewhere to live and someone to ring when things go wrong after they turn 18")
R(1, "I'm a foster carer in Swale. Getting mental health support for the children I look after is almost impossible.", "SW")
R(1, "My daughter has had an eating disorder since she was 14. The wait for specialist help very nearly cost her her life.", choice=5)
R(1, "Kids who live with domestic abuse need their own support, not just the mum")
R(1, "my grandson with autism has been out of school for 8 months waiting for a specialist place", age="65-74", sex="female")
R(1, "Sure Start centres were the best thing this country ever did and they got rid of them")
R(1, "lots of teenage pregnancies round here and the young persons sexual health drop in closed", choice=3)

# Outcome 2: wider determinants.
R(2, "Our flat in Chatham has had black mould for two years. The kids are always poorly and the landlord does nothing.", "Med", age="25-34", sex="female")
R(2, "Its the cost of living that makes people ill. We cant afford to heat the house and my husbands COPD is worse every winter.", choice=4)
R(2, "The bus from our village goes every two hours and stops at six. How are people supposed to get to work or the doctor?", "A")
R(2, "Margate town centre feels dodgy at night, we need to see police walking about", "T")
R(2, "I help at a food bank in Dover and we're seeing working families now, nurses and teaching assistants, not just people on benefits", "D")
R(2, "Since my wife died I can go days without speaking to anyone. Loneliness is a killer.", age="75-plus", sex="male", choice=3)
R(2, "Please keep the libraries open. They are the only warm, free place left in our town.")
R(2, "Temporary accommodation in Gravesend is a disgrace. One room for the four of us for eight months.", "G", age="25-34", sex="female")
R(2, "Air pollution along the A2 in Dartford is terrible, both my kids have inhalers", "Da")
R(2, "Good jobs with decent pay are the best health policy there is.")
R(2, "The NHS and the councils should buy from Kent firms and employ local people. That money should stay here.")
R(2, "Antisocial behaviour on our estate has got so bad older people wont go out after dark")
R(2, "More green space and safe cycle routes in Maidstone please, everything is built around cars", "M")
R(2, "Coastal towns like Sheerness have been forgotten for decades. The life expectancy gap with Sevenoaks is shocking and it should shame everyone.", "SW")
R(2, "Families on our site struggle to get registered with a GP or get any health information at all. People die younger and nobody seems to care.", "SW", ch="focus-group", choice=NS)
R(2, "The charity I volunteer with is on a one year grant again. We can't plan or keep good people. Give the voluntary sector proper multi-year funding.")
R(2, "drug dealing outside the school gates in Sittingbourne, everyone knows", "SW")
R(2, "My rent is more than half my wages. The stress about money is ruining my health.", age="35-44")
R(2, "Help people back into work after long term sickness. I want to work but the jobcentre just pushes any job at me regardless of my health.", dis="yes")
R(2, "benefit sanctions make people ill. simple as that", choice=NS)
R(2, "Our community centre in Tonbridge has groups on every day but the roof leaks and nobody will pay to fix it", "TMBC")
R(2, "why does it take two buses and an hour and a half to get from Deal to Canterbury", "D")
R(2, "The men's shed in Whitstable has been a lifesaver for a lot of blokes round here, me included", "C", age="65-74", sex="male")
R(2, "As a lesbian in my seventies I feel invisible in most community groups. Where do older LGBT people go?", age="65-74", sex="female", ch="focus-group")
R(2, "Black and Asian people in Medway get worse outcomes and the strategy needs to say that out loud, not hide behind averages.", "Med", eth="black", ch="focus-group")
R(2, "Homeless people in Canterbury need more than a sleeping bag. They need a way into a home with support attached.", "C")
R(2, "My neighbour is 90 and has no one. The befriending service has a waiting list. That's heartbreaking.", choice=3)
R(2, "It's impossible to buy cheap healthy food in parts of Thanet. It's all corner shops and takeaways.", "T", choice=3)
R(2, "I've been on the list for a ground floor accessible flat for four years. I can't get out of my current one without help.", dis="yes")
R(2, "I run a small pay-as-you-can community cafe in Folkestone. Every day we see people who are lonely, people who can't afford to eat properly, people waiting for mental health services and people who just need somewhere warm to sit. We are not a health service but we are doing health work. We get no regular funding and survive on donations and volunteers. If the strategy is serious about prevention it needs a way to fund places like ours properly instead of asking us to bid for tiny pots every six months.", "FH")
R(2, "No buses at all on a Sunday round Cranbrook. If you don't drive you're stuck.", "TW", age="65-74")
R(2, "There's nothing for young people in Swale after school. Apprenticeships, jobs, anything.", "SW")
R(2, "Vulnerable people in the flats near me are having their homes taken over by dealers. Police know and nothing happens.", "Med")
R(2, "I get racist abuse in town most weeks. That affects your health too.", eth="black", sex="male", age="35-44")
R(2, "The high street in Sheerness is half boarded up. No jobs, no hope, no wonder people are ill.", "SW")

# Outcome 3: happy and healthy living.
R(3, "Leisure centre prices are too high for families. Seven pounds for one swim is ridiculous.")
R(3, "The social prescriber at my surgery got me into a walking group and I'm now off my antidepressants", choice=4)
R(3, "Memory clinic confirmed Alzheimer's in the spring. Since then we've not heard from a single professional.", carer="yes")
R(3, "Menopause services!! Women are leaving their jobs because they cant get any help", sex="female", age="45-54")
R(3, "stop smoking service was brilliant, 6 months smoke free now")
R(3, "Falls prevention classes for older people please, my mum has fallen twice this year")
R(3, "When my time comes I want to die at home, not on a trolley in a corridor", age="75-plus", choice=5)
R(3, "Alcohol is a massive problem in Thanet and nobody wants to talk about it", "T")
R(3, "Loads of ex-forces round Chatham and Gillingham who have slipped through the cracks. Veterans need specialist support.", "Med", ch="focus-group", sex="male")
R(3, "Let people sign themselves up for weight support instead of queueing for a doctor to refer them")
R(3, "Domestic abuse survivors need much more than a phone number on a poster")
R(3, "Parkrun in Ashford has done more for my mental health than any pill", "A", sex="male", age="45-54")
R(3, "My husband was diagnosed with early onset dementia at 58. Everything is designed for people in their eighties.", age="55-64", sex="female", carer="yes")
R(3, "Ask me what matters to me instead of telling me what I'm getting", choice=NS)
R(3, "The sexual health clinic in Maidstone is always full, you can never get in", "M", age="18-24")
R(3, "I'm 81 and determined to stay in my own home. A grab rail and a key safe made all the difference.", age="75-plus", sex="female")
R(3, "The link worker helped me sort out my benefits and then got me into a community choir. Please expand this service.", choice=2)
R(3, "My dad was diagnosed with vascular dementia three years ago. The memory clinic was good but after that we were on our own. Mum is 79 and does everything for him. The dementia cafe in Tunbridge Wells is the only support we have and its run by volunteers once a month. What we needed was someone to check in, explain what was coming, help with power of attorney and tell us what we were entitled to. The strategy says living well with dementia from diagnosis to end of life but that isn't what happened to us.", "TW", age="45-54", sex="female", carer="yes")
R(3, "Our hospice is wonderful but has to fundraise for almost everything. End of life care shouldn't depend on cake sales.", choice=5)
R(3, "Women's health hub promised for years. Where is it?", sex="female")
R(3, "People coming out of prison need help with health, housing and money on the same day they walk out, not weeks later")
R(3, "The outdoor gym on the seafront at Hythe is used all the time. Put more of them in.", "FH")
R(3, "Drug and alcohol services should be walk in. When someone is ready you can't ask them to wait three weeks.", "C", ch="focus-group")
R(3, "Men don't talk. More groups for men to talk in places they already go, football clubs, pubs, barbers.", sex="male", age="35-44")
R(3, "My sister has a learning disability and has never been offered her annual health check. Not once.", carer="yes", choice=4)
R(3, "Using data to find people at risk sounds a bit big brother to me. Who sees it?", choice=0)
R(3, "the free health checks they did at the supermarket were great, found my blood pressure was high")
R(3, "Nobody talks about hearing loss. My dad withdrew from everything because he couldnt follow conversations anymore.")

# Outcome 4: managing conditions, GP, dentist, pharmacy, carers.
R(4, "8am phone queue is a lottery. 45 minutes on hold and then all the appointments have gone.")
R(4, "Different doctor every visit. I'm sick of retelling my whole medical history")
R(4, "Being made to explain your symptoms to the receptionist with a queue listening behind you is humiliating")
R(4, "Getting a GP appointment in Dartford is impossible with all the new houses going up", "Da")
R(4, "Fair's fair, my surgery's app works now and I got seen the same day last month.")
R(4, "gp", choice=NS)
R(4, "Why can I see a physio or a pharmacist but never a doctor? Sometimes I actually need a doctor.", choice=5)
R(4, "Our practice in Larkfield has closed its list. New residents cant register anywhere nearby.", "TMBC")
R(4, "I'm deaf and can't use the phone at 8am. There's no other way to book at my surgery.", dis="yes")
R(4, "the online form shuts at 10am. at 10.05 you get told to try again tomorrow")
R(4, "Bring back proper GP home visits for people who are housebound", age="75-plus")
R(4, "My surgery in Birchington sends me to 111 and 111 sends me back to the surgery", "T")
R(4, "I'm 34 and found a lump. It took 4 weeks to see anyone. It was nothing in the end but it could have been.", age="25-34", sex="female")
R(4, "'Try again tomorrow' six days running. That was my week.", choice=NS)
R(4, "The new GP hub in Canterbury has made things much easier for our family", "C")
R(4, "NHS list closed, private want 60 quid just to look in my mouth. joke", choice=NS)
R(4, "No NHS dentist in the whole of Thanet taking adults. I ended up pulling my own tooth.", "T", sex="male", age="55-64")
R(4, "no dentist for my kids since they were toddlers, the waiting list never moves")
R(4, "Pharmacy First is great, got antibiotics for my UTI the same day without seeing the GP")
R(4, "Opticians should be able to refer straight to the eye hospital instead of going through the GP")
R(4, "Private dentist wanted £400 for a filling. I'm a pensioner, where am I supposed to find that?", age="65-74")
R(4, "The only NHS dentist taking patients was in Maidstone. I live in Deal.", "D", choice=5)
R(4, "My husband has Parkinson's and I am his only carer. Three years without an unbroken night's sleep. Respite depends on your postcode.", age="65-74", sex="female", carer="yes")
R(4, "My carers assessment took nine months and then I was offered nothing at the end of it", carer="yes")
R(4, "Nobody asks the carer. The doctors talk over me but I'm the one who knows him best.", carer="yes")
R(4, "Schools need to spot young carers, they're hiding in plain sight", choice=1)
R(4, "What carers get from the state works out at pennies an hour. Shameful.", carer="yes", choice=2)
R(4, "I care for my son, he is 24 and has severe learning disabilities. When I'm gone, who looks after him? That question keeps me awake.", age="55-64", sex="female", carer="yes")
R(4, "Respite beds near Sevenoaks have gone, we now have to go all the way to Medway", "S", carer="yes")
R(4, "the carers cafe in Ashford is brilliant, somewhere I can just be me for an hour", "A", carer="yes")
R(4, "Working carers need flexibility from employers and from the NHS. Appointments at 10am on a Tuesday don't work.", carer="yes")
R(4, "I've got diabetes, COPD and heart failure. Three clinics, three hospitals, and not one person joins it up.", age="65-74", dis="yes")
R(4, "The complex care nurses came out to the house and went through every one of mum's medicines. Brilliant.")
R(4, "I'd like to be able to see my own care plan and test results online")
R(4, "Repeating my story over and over is exhausting. I have ME and it uses energy I don't have.", dis="yes")
R(4, "My personal health budget gave me control over my own care. More people should be offered one.", dis="yes")
R(4, "pulmonary rehab waiting list is 9 months", choice=5)
R(4, "The telecare pendant means mum can stay at home and we have peace of mind")
R(4, "Direct payments are a nightmare to manage, the paperwork never ends", choice=5)
R(4, "Once my chemo finished that was it. No follow up, nobody to ask about side effects. I felt very alone.", choice=5)
R(4, "I'm 29 with MS and everything seems designed for people much older than me", age="25-34", sex="female", dis="yes")
R(4, "I have lived with Crohn's since I was 19. When it's under control I work and live normally, when it flares I need help fast. Last year I waited three weeks for the GP to prescribe steroids my consultant had already recommended, because nobody had read the letter. I ended up in A&E. I know my condition better than anyone and I'd like to be trusted to manage it, with a named nurse to call when things go wrong. It would save the NHS a fortune and save me weeks of being ill.", age="35-44")

# Outcome 5: health and care services.
R(5, "Eleven hours in A&E in Margate with my 84 year old mum on a trolley. Nobody should go through that.", "T")
R(5, "Two year wait for a hip operation. I've had to give up work.", age="55-64", choice=NS)
R(5, "The ambulance took five hours to come after my dad fell")
R(5, "waiting lists", choice=NS)
R(5, "70 week wait for ENT in Maidstone", "M")
R(5, "A&E in Dartford was so full people were sitting on the floor", "Da")
R(5, "My cataract operation was quick and excellent, well done to the team")
R(5, "The wait for a knee replacement has me in constant pain and on painkillers I don't want to be taking", age="65-74")
R(5, "Stop cancelling operations at the last minute. My husband has been cancelled three times now.")
R(5, "Mum was medically fit to leave for three weeks but stuck in hospital waiting for a care package", choice=NS)
R(5, "Discharged at 10pm with no transport home and no food in the house", age="75-plus")
R(5, "The reablement team were fantastic, dad is walking again")
R(5, "Nobody told us she was being discharged until she turned up at the door in a taxi")
R(5, "Why can't the hospital see my GP records? Every department asks me the same questions.")
R(5, "My referral got lost between the hospital and the community team and nobody owned it", choice=4)
R(5, "Joined up care is still a dream. Social services, the hospital and the GP all blame each other.")
R(5, "The mental health team and the drug service wouldn't work together for my son, so he fell between them")
R(5, "I have to be the messenger between my husband's consultants because they don't talk to each other", carer="yes")
R(5, "Waiting 14 months for talking therapy is not acceptable")
R(5, "the mental health crisis line never picks up", choice=NS)
R(5, "My brother was sent to a mental health bed near Manchester, hundreds of miles from his family")
R(5, "The safe haven in Maidstone was a real help when I was in a bad place", "M")
R(5, "There are no mental health services that understand autistic adults", dis="yes")
R(5, "I'm writing this at 3am because I can't sleep. I've been on the waiting list for the community mental health team since March. Some nights I think about ending it and I don't know who I'm supposed to tell because the GP just says I'm on the list. I don't want to be a statistic.", consent="no", age="25-34", choice=5)
R(5, "Police shouldn't be the ones taking people in a mental health crisis to A&E")
R(5, "More clinics on Sheppey please. Every appointment means a trip over the bridge.", "SW", choice=2)
R(5, "Blood tests back at the local surgery please instead of trekking to the hospital")
R(5, "A minor injuries unit in Swanley would take the pressure off Dartford", "S")
R(5, "Care home fees are eating my parents' savings. It isn't fair.")
R(5, "Fifteen minute home care visits are not enough to wash and feed someone", choice=NS)
R(5, "My nan is in a care home in Ramsgate. Three times now we've found her in soaked pads in the afternoon with her lunch cold and untouched on the side, and last week she had bruises on both arms the staff couldn't explain. She can't tell us what happened. We complained to the manager and nothing changes. I'm really worried about her and don't know who to report it to.", "T", consent="no", choice=NS)
R(5, "The social worker was kind but there's a six month wait for an assessment")
R(5, "Paying for your care when you've worked all your life feels so wrong", age="75-plus", choice=0)
R(5, "Shared Lives has been wonderful for my son", carer="yes")
R(5, "Four pounds an hour to park at the hospital. For cancer patients it should be free.")
R(5, "Two buses and a train to get to my eye appointment in Canterbury from Sandwich", "D", age="75-plus")
R(5, "Hospital transport cancelled on the morning of my appointment with no explanation")
R(5, "I can't drive since my stroke but I'm not eligible for patient transport. The rules are too strict.", dis="yes")
R(5, "not everyone has a smartphone!! stop making everything online only")
R(5, "My dad is 88 and can't use the app. He is being left behind.")
R(5, "Online forms are fine for me but my mum is blind and can't use them", carer="yes")
R(5, "The nurses on the stroke ward treated my dad with such dignity. Thank you.")
R(5, "I complained eight months ago and still haven't had a proper answer")
R(5, "PALS were really helpful when mum's care went wrong")
R(5, "Please can someone call me back about my mum's care package, nobody is answering at social services. My number is 07700 900461, I'm in all day.", consent="no", choice=NS)
R(5, "My NHS number is 943 476 5919. My referral to the pain clinic was sent in June and the hospital says they never got it, please can someone chase it.", consent="no", choice=4)
R(5, "I live just over the border in East Sussex but all my hospital care is in Tunbridge Wells, please remember people like us when you plan services", "OUT")

# Outcome 6: workforce, in residents' words.
R(6, "pay care workers more, it's the foundation everything else sits on")
R(6, "Look after the staff, they're burnt out and it shows", choice=5)
R(6, "My daughter would love to be a nurse but can't face the student debt")
R(6, "So many agency staff at the hospital, mum never saw the same nurse twice", choice=5)
R(6, "Our volunteer drivers are a lifeline for people in the villages. Back them.", "D")
R(6, "Key workers can't afford to live in Tunbridge Wells", "TW", choice=2)
R(6, "Workforce is the biggest risk to all of this. Without staff nothing else happens.")
R(6, "Nice that staff wellbeing gets a mention. My sister is a nurse and she's exhausted.", choice=NS)
R(6, "Kent should train its own doctors and then keep them here")
R(6, "The overseas staff at our hospital are brilliant, make sure they are treated well and made welcome")
R(6, "Why can't I volunteer at my local hospital? I've asked twice.")
R(6, "Make care work a proper career with a way to progress")
R(6, "I stack shelves and get paid more than my friend who does home care. That's wrong.", "G")

# Triage demos: safeguarding, spam, off-topic.
R(3, "I'm filling this in at the library because I can't do it at home. My partner checks my phone and controls all the money, and last month he pushed me down the stairs. The GP asked how I got the bruises and I lied. I wish there was a way to tell the surgery privately without him sitting next to me. I'm scared of what happens if he finds out I wrote this.", "SW", consent="no", choice=NS, sex="female")
R(None, "BEST PRICES on replica watches and designer bags!!! free delivery today only, visit www.example.com/shop-now and use code KENT50", d="OUT", consent="yes", choice=NS, blank_about=True)
R(None, "Can someone please sort out the bins on Elm Road, they haven't been collected for three weeks and the foxes are getting into them", "M", choice=0)

# A few residents who gave more than one comment.
RM("Med", [(4, "GP appointments in Gillingham are like gold dust"), (4, "and we've had no NHS dentist since ours went private in 2024")], age="45-54", sex="female")
RM("C", [(0, "Broadly agree with the direction of travel"), (5, "but please don't let community services be the poor relation to the hospitals again")])
RM("T", [(2, "Housing in Cliftonville is some of the worst I've seen, overcrowded flats above shops"), (1, "and the kids in those flats have nowhere to play and nobody to help with homework")], ch="event")
RM("A", [(5, "A&E waits at the hospital in Ashford are getting worse every year"), (6, "the staff are doing their absolute best with not enough people"), (0, "the strategy needs to be honest that none of this is possible without more money", NS)])
RM("M", [(3, "My mum has dementia and the day centre closing has been devastating"), (4, "as her carer I need a break, even one day a week")], age="55-64", sex="female", carer="yes")
RM("FH", [(2, "The 16 bus is the only way to get to Hythe and it's always late or cancelled"), (5, "missed two hospital appointments because of it and got discharged from the clinic")])
RM("TW", [(1, "My son is on the autism pathway and we are two years in"), (1, "his secondary school in Tunbridge Wells has been great though, they haven't waited for the diagnosis")], age="45-54", sex="female", carer="yes")
RM("SW", [(2, "Faversham is losing its bank, its post office counter and now the bus routes are under review"), (0, "you can't talk about health and ignore all of that")])
RM("Da", [(4, "Too many new houses in Ebbsfleet and not enough GP surgeries"), (2, "and the roads are gridlocked, air quality must be terrible")])
RM("Med", [(5, "Medway A&E is always rammed"), (5, "the new urgent treatment centre helps but nobody knows it's there"), (0, "put more effort into telling people where to go", NS)], ch="event")
RM("S", [(2, "Isolation is a big issue for older people in Swanley and the villages"), (6, "the volunteer-run lunch club is all we have and the volunteers are in their 80s")], age="75-plus", sex="male")
RM("TMBC", [(5, "Waiting for a knee op"), (4, "GP surgery in Snodland has been very good with pain relief while I wait")], age="65-74", sex="male")
RM("C", [(1, "My 8 year old waited 18 months for a hearing test"), (5, "and it was all sorted in one appointment at the hospital once we got there, so why the wait?")], choice=None)
RM("M", [(2, "Damp in our housing association flat keeps coming back"), (2, "the kids' asthma is worse every winter and the GP says it's the mould")], age="25-34", sex="female", ch="paper")
RM("T", [(0, "Came to the event at the library in Ramsgate. Good to speak to someone face to face."), (3, "please do more health checks like this in the community")], ch="event")
RM("KW", [(0, "I drive all over Kent for work and the differences between areas are huge"), (5, "east Kent waits for everything seem far longer than west Kent")], age="35-44", sex="male")
RM("MW", [(0, "Medway's health and wellbeing strategy and this one should line up, otherwise we're confused about which one counts")])

# ---------------------------------------------------------------------------------------------------------
# Focus groups run by voluntary organisations (channel focus-group). Short quotes written up by facilitators.
# ---------------------------------------------------------------------------------------------------------
R(2, "when you're sleeping rough nobody wants to know, the hostel waiting list in Canterbury is weeks long", "C", ch="focus-group", blank_about=True)
R(5, "I got kicked out of A&E at 4am with nowhere to go", "C", ch="focus-group", blank_about=True, choice=NS)
R(4, "Can't register at a GP without an address and can't get an address without a GP letter. Round and round.", "C", ch="focus-group", blank_about=True, choice=2)
R(1, "We are parents of disabled children and we are exhausted from fighting for every bit of support", "Med", ch="focus-group", sex="female", carer="yes")
R(1, "Transition at 18 - we dont know who our daughters social worker will be next year", "Med", ch="focus-group", carer="yes", choice=NS)
R(2, "Doctors don't always understand our culture or our language. My mother needs an interpreter every time and they book a phone one that cuts out.", "G", ch="focus-group", eth="asian", sex="female", choice=4)
R(3, "In our community people don't talk about mental health, there needs to be someone from our community who we trust", "G", ch="focus-group", eth="asian", choice=NS)
R(2, "As a refugee it took me six months to understand how the NHS works. Nobody explains it.", "A", ch="focus-group", eth="other", sex="male", age="25-34")
R(3, "group for older people in Dover: we want to keep active but the classes are all in the daytime when the buses are rubbish", "D", ch="focus-group", age="75-plus", choice=2)
R(5, "Recovery group Thanet: 'my key worker changed four times in a year'", "T", ch="focus-group", blank_about=True, choice=NS)
R(3, "Recovery is about people and purpose. The peer mentors here get it because they've been there.", "T", ch="focus-group", blank_about=True)
R(2, "trans people avoid going to the doctor because of how we get treated", "M", ch="focus-group", sex="prefer-not-to-say", age="18-24")
R(5, "young people's group: waiting lists for mental health are so long that people just give up asking", "Med", ch="focus-group", age="under-18")
R(1, "young people's group: school is where most of us feel the most stressed, not home", "Med", ch="focus-group", age="under-18", choice=NS)

# ---------------------------------------------------------------------------------------------------------
# The campaign: near-identical template text from 14 residents.
# ---------------------------------------------------------------------------------------------------------
CAMPAIGN_BASE = ("Save our community hospital! Keep the beds, the minor injuries unit and the rehab ward open. "
                 "Older people and families should not have to travel miles to a big hospital for care that can be given locally. "
                 "I object to any cuts to our community hospital.")
CAMPAIGN = [
    ("D", CAMPAIGN_BASE, 5),
    ("D", CAMPAIGN_BASE + " My dad recovered there after his stroke.", 5),
    ("D", CAMPAIGN_BASE.replace("Save our community hospital!", "SAVE OUR COMMUNITY HOSPITAL!!"), NS),
    ("D", CAMPAIGN_BASE, 5),
    ("FH", CAMPAIGN_BASE.replace("travel miles", "travel 20 miles"), 5),
    ("FH", CAMPAIGN_BASE + " Hands off!", 5),
    ("FH", "save our community hospital. keep the beds, the minor injuries unit and the rehab ward open. older people and families should not have to travel miles to a big hospital for care that can be given locally. i object to any cuts", NS),
    ("T", CAMPAIGN_BASE, 5),
    ("T", CAMPAIGN_BASE + " Margate A&E can't cope as it is.", 5),
    ("C", CAMPAIGN_BASE.replace("I object to any cuts to our community hospital.", "I object to any cuts."), 0),
    ("C", CAMPAIGN_BASE, 5),
    ("SW", CAMPAIGN_BASE.replace("Older people and families", "Elderly people and young families"), 5),
    ("A", CAMPAIGN_BASE + " Signed, a very worried resident.", 3),
    ("M", CAMPAIGN_BASE.replace("Keep the beds", "Keep all the beds"), 5),
]
for i, (d, text, ch) in enumerate(CAMPAIGN):
    SUBS.append(dict(kind="resident", d=d, comments=[(5, text, ch)], campaign=i,
                     ch="paper" if i in (3, 11) else ("email" if i == 8 else "online")))

# ---------------------------------------------------------------------------------------------------------
# Staff: people who work in health and care, writing as themselves.
# ---------------------------------------------------------------------------------------------------------
S(6, "I'm a healthcare assistant in Margate. After tax I take home less than my 19 year old does on a warehouse job. Something has to give.", "T")
S(6, "Band 5 nurse. Three colleagues left this year to join agencies and came straight back to our ward earning more per shift for the same work.")
S(6, "Social care worker for 9 years. We get a pizza at Christmas and that's the recognition.", choice=NS)
S(6, "Community matron covering rural Ashford. Mileage that reflects what fuel actually costs, and a laptop that works where there's no signal, would make my job far easier.", "A")
S(6, "I'm a physio and would jump at a joint post across the hospital and community but HR rules make it impossible")
S(6, "GP practice manager here. We can't match hospital pay for nurses so we lose ours every year.", "M")
S(6, "I've been a domestic at the hospital for 20 years. Cleaners are part of the team too, don't forget us.", "Med")
S(6, "Occupational therapist in Medway. People wait months for equipment assessments and we know it. It's not for lack of trying, there just aren't enough of us.", "Med", choice=5)
S(6, "I came from Nigeria to nurse here. I love my job but the way some patients speak to me is hard, and I don't always feel my managers stand up for me.")
S(5, "Paramedic. We spend hours queuing outside A&E with patients instead of answering calls. Sort out flow and you'll sort out our morale.")
S(6, "Mental health nurse. Our team lost three experienced people in six months and we're covering with bank staff who don't know our patients.", choice=5)
S(6, "Student nurse on placement in Dover. I'm paying about £15 a day to get there and back and nothing covers it.", "D")
S(6, "Receptionist at a busy practice in Gillingham. We get abuse every day. We are not the ones deciding how many appointments there are.", "Med", choice=4)
S(6, "I manage a care home. Nearly half my staff are international recruits on sponsored visas. If the rules change again, we close.")
S(5, "District nurse. I'd love to be able to see the social care notes for my patients, at the moment we're working blind.")
S(1, "Health visitor. Caseloads of over 500 children. We can't do the preventative work the strategy talks about.", choice=6)
S(4, "Community pharmacist. Pharmacy First is a good thing but we've had no extra staff to deliver it and we're running on fumes.")
S(6, "Midwife. Please name the maternity workforce in this, we are on our knees.", choice=1)
S(0, "I work in council public health. The strategy is good but it needs a delivery plan with names against actions.", "KW")
S(2, "Support worker in a learning disability service. The people we support want to work and volunteer. Help employers to take them on.")
S(6, "Resident doctor. Rota gaps mean I regularly cover two wards on nights. It isn't safe for patients or for me.")
S(6, "Hospice nurse. So much of what we do relies on volunteers and most of ours are over 70.", "TW")
S(6, "I'm a manager in adult social care. A leadership programme that puts NHS and council managers in the same room would do more for integration than any restructure.")
S(6, "Home care worker in Swale. Paid for 15 minute visits, travel unpaid. Clients get rushed and so do we.", "SW")
S(6, "I'm neurodivergent and work in NHS admin. A quiet space and noise cancelling headphones were all I needed. It took a year to get them.")
S(4, "I work in a GP surgery in Folkestone. Every new housing estate adds hundreds of patients and not one extra clinic room.", "FH")
S(6, "I'm the deputy manager at Oakhurst Lodge care home in Whitstable. If anyone from the ICB wants to come and see the staffing problems we face, ring me on 07700 900118 or email j.amberley@example.com", "C", consent="no")
S(6, "I live in south London but commute to Dartford for work. Train fares are a big part of why colleagues leave for London trusts.", "OUT")
SM("Med", [(6, "Staff nurse at the hospital in Gillingham. The wellbeing offer is good on paper but you can't use it if you can't leave the ward."),
           (5, "Corridor care is now normal. It shouldn't be.")])
SM("C", [(6, "Social worker in east Kent. Caseloads are too high to do proper prevention work."),
         (3, "Strengths-based practice needs time with people, which our caseloads don't allow"),
         (0, "Please make sure frontline staff are involved in the delivery plans, not just senior managers", NS)])
SM("KW", [(6, "I work for a small charity delivering a contract for the NHS. Our staff are paid less than the NHS staff doing similar work in the same building."),
          (2, "Three month contract extensions mean we lose our best people every spring.")])
SM("T", [(6, "Care coordinator. I've been offered every training course under the sun except the one I need to progress."),
         (5, "Thanet needs more community mental health capacity, not more apps")])
SM("G", [(6, "I work in a care home in Gravesend. Half our team speak English as a second language and are brilliant. ESOL classes in work time would help them progress."),
         (6, "Also we could do with a few more male carers, some of our gentlemen residents would really prefer one")])

# ---------------------------------------------------------------------------------------------------------
# Partners: organisations, usually one comment per outcome. Workshop entries are officers' notes.
# ---------------------------------------------------------------------------------------------------------
P("Swale Borough Council", "district-council", "SW", "workshop", [
    (2, "Sheppey - LE gap vs rest of borough; WDH focus, not more leaflets"),
    (2, "Housing options seeing more DA + MH presentations into TA. Need joined up route out"),
    (5, "Outreach clinics on the Island - cut trips over the bridge"),
    (6, "Our leisure centres could offer H&C staff rates - happy to discuss")])
P("Thanet District Council", "district-council", "T", "workshop", [
    (2, "Targeted not universal in Cliftonville/Newington - deprivation concentrated"),
    (3, "Alcohol + drug harm in town centres - link to CSP"),
    (0, "Need district-level indicators in logframe. County averages mask Thanet")])
P("Dover District Council", "district-council", "D", "workshop", [
    (2, "Rural villages w/ no bus to Dover or Deal after 6pm"),
    (3, "Ageing population - falls prevention via leisure offer + DFGs"),
    (4, "NHS dental access Dover/Deal - top issue raised by residents")])
P("Maidstone Borough Council", "district-council", "M", "email", [
    (0, "We welcome the refreshed strategy and its emphasis on local delivery. We would like clarity on how district health and wellbeing partnerships will feed into the logframe and what resources will come with delivery expectations."),
    (2, "Private rented sector conditions remain our largest health-related complaint area. We ask that the strategy names damp and mould explicitly and supports joint enforcement with routes for health referrals."),
    (6, "Our planning team would support a key worker housing policy if NHS and care employers can evidence need site by site.")])
P("Ashford Borough Council", "district-council", "A", "workshop", [
    (2, "Growth areas - new estates with no community infrastructure on day one"),
    (4, "Primary care capacity lagging housing growth"),
    (3, "Build on parkrun, active travel - what already works")])
P("Tunbridge Wells Borough Council", "district-council", "TW", "workshop", [
    (2, "Hidden deprivation in an affluent borough - pockets missed by county data"),
    (6, "Care staff can't afford to live in the borough"),
    (5, "Rural broadband poor - don't assume residents can go online", 0)])
P("Dartford Borough Council", "district-council", "Da", "workshop", [
    (2, "AQ hotspots on approach roads to the crossing"),
    (4, "GP provision not keeping pace with Ebbsfleet"),
    (1, "YP asking for places to go - youth provision")])
P("Gravesham Borough Council", "district-council", "G", "email", [
    (2, "Gravesham has diverse communities and engagement must be culturally appropriate. We recommend working through faith and community groups who already hold trust."),
    (0, "Please translate consultation materials into the languages our residents speak, including Punjabi and Nepali.")])
P("Canterbury City Council", "district-council", "C", "workshop", [
    (2, "HMO + student housing quality - health impact"),
    (3, "Rough sleepers w/ complex needs (MH + SM) - need joined up hostel support"),
    (0, "What is expected of DCs in delivery? Roles unclear")])
P("Sevenoaks District Council", "district-council", "S", "workshop", [
    (3, "Older people isolated in rural villages", 2),
    (5, "Community transport to appts - long distances to acute sites")])
P("Tonbridge and Malling Borough Council", "district-council", "TMBC", "online", [
    (3, "Our leisure trust would welcome a stronger partnership with primary care on exercise referral so that patients are not lost between the GP and the gym."),
    (6, "Volunteers for our community hubs are declining and getting older.")])
P("Folkestone and Hythe District Council", "district-council", "FH", "workshop", [
    (2, "Romney Marsh - rural deprivation, transport, isolation overlap"),
    (1, "Emotional wellbeing support in Folkestone schools"),
    (5, "Care closer to home for Marsh residents")])
P("Thanet Community Pantry", "vcse", "T", "email", [
    (2, "We now support over 300 households a week. Two years ago most were on benefits; now a third of our members are in work, including care workers and hospital staff. Food insecurity is a health issue and we would like the strategy to treat it as one."),
    (2, "Our funding is renewed year by year so we cannot keep our one paid coordinator. Multi-year funding would let us plan.")])
P("Swale Carers Network", "vcse", "SW", "online", [
    (4, "Carers tell us that a regular break is their number one need and the hardest thing to get."),
    (4, "A carer's assessment needs to lead to something. Too many end with a leaflet."),
    (5, "Involve carers at hospital discharge. Too often they find out on the day.")])
P("Medway Youth Voice Trust", "vcse", "Med", "workshop", [
    (1, "YP: MH help should be walk-in, no gatekeeping"),
    (0, "Co-produce with YP from the start, not consult at the end"),
    (2, "Youth clubs + safe spaces are prevention", 1)])
P("Ashford Refugee Welcome", "vcse", "A", "email", [
    (2, "People we support face language barriers at every step, from booking appointments to reading letters."),
    (4, "GP practices still refuse registration without proof of address, despite national guidance saying this is not required."),
    (0, "Please fund interpreters at consultation events so our members can take part.")])
P("Medway Parent Carer Circle", "vcse", "Med", "email", [
    (1, "EHCP timeliness in Medway remains the single biggest cause of distress among our members."),
    (1, "Preparation for adulthood should start at 14, not at 17 when it is already too late."),
    (4, "Parent carers are carers too and should be included in carers' strategies and breaks.")])
P("Sevenoaks Rural Befrienders", "vcse", "S", "online", [
    (2, "Our befriending waiting list has doubled in a year, mostly people over 80 living alone in villages."),
    (6, "Recruiting volunteers has been harder since the pandemic and our volunteers are getting older.")])
P("Canterbury Recovery Cafe", "vcse", "C", "workshop", [
    (3, "Peer support + lived experience in recovery - fund it"),
    (5, "Dual diagnosis - MH services exclude people still using")])
P("Kent Gypsy and Traveller Liaison Group", "vcse", "KW", "email", [
    (2, "Gypsy, Roma and Traveller communities have much lower life expectancy and are rarely reached by mainstream services. Outreach by trusted workers is essential."),
    (4, "People without a fixed address are still being turned away when they try to register with a GP.")])
P("Gravesham Multicultural Women's Network", "vcse", "G", "workshop", [
    (3, "Menopause info in community languages"),
    (1, "New mums isolated after birth - HV contact by phone only, language barrier")])
P("Office of the Police and Crime Commissioner", "pcc", "KW", "email", [
    (2, "We ask that the serious violence duty and the strategy's prevention work are aligned, with shared data between police, councils and health."),
    (3, "Survivors of violence against women and girls need a clear health pathway, including hospital-based independent advisers."),
    (5, "Police time spent with people in mental health crisis remains high. Changes in how police respond will only work if health capacity is there to meet the need.")])
P("East Kent Health and Care Partnership", "hcp", "KW", "workshop", [
    (0, "Logframe needs HCP-level data, not only system level"),
    (4, "Frailty MDTs - scale up across all PCNs"),
    (5, "UEC flow - D2A capacity + care market"),
    (6, "Coastal recruitment premium?")])
P("Medway and Swale Health and Care Partnership", "hcp", "MW", "workshop", [
    (2, "Core20 - Chatham, Gillingham, Sheerness"),
    (4, "LTC case finding - hypertension + AF"),
    (5, "Integrated neighbourhood teams - next phase")])
P("West Kent Health and Care Partnership", "hcp", "KW", "email", [
    (0, "Delivery plans should be developed at HCP level with district partners so that they reflect local priorities."),
    (3, "We support expanding personalised care, including personal health budgets, beyond the current cohorts.", 4),
    (6, "A shared workforce hub across west Kent partners would help with recruitment and training.")])
P("North Kent Hospitals NHS Trust", "nhs-provider", "KW", "email", [
    (5, "On an average day over 100 of our patients no longer meet the criteria to reside. Discharge is a whole-system problem and the strategy should say so."),
    (6, "International recruitment has filled many nursing gaps; we now need to focus on pastoral care and progression so that colleagues stay."),
    (0, "Backlog maintenance across our estate is a growing risk to services.")])
P("Weald Community Health NHS Trust", "nhs-provider", "KW", "online", [
    (5, "Community services are under-recognised in the draft. Most care happens outside hospitals."),
    (6, "Community nursing vacancies remain our biggest workforce risk."),
    (4, "Virtual wards and remote monitoring support people to manage conditions at home and should be developed further.")])
P("Medway Valley Mental Health NHS Trust", "nhs-provider", "MW", "email", [
    (5, "We are committed to ending out-of-area placements but need step-down and supported housing capacity to do so."),
    (2, "Employment support for people with severe mental illness works and should be part of the wider determinants work.")])
P("Kent County Council - Growth and Communities", "local-authority", "KW", "workshop", [
    (2, "Libraries, community hubs = health assets"),
    (2, "Align with economic framework - good work"),
    (6, "Skills - H&C sector academy with FE colleges")])
P("Medway Council - Public Health", "local-authority", "MW", "email", [
    (3, "We support a whole-system approach to healthy weight involving planning, schools and the food environment."),
    (1, "Smoking in pregnancy rates in Medway remain above the national average."),
    (0, "The strategy should clearly align with the Medway Joint Local Health and Wellbeing Strategy.")])
P("Upper Weald Parish Council", "other", "TW", "workshop", [
    (0, "Parish + town councils want to be partners not afterthought"),
    (2, "Rural bus cuts - residents stranded")])
P("Kentish Homes Housing Association", "other", "KW", "email", [
    (2, "Damp and mould: we want shared routes between repairs teams and health so tenants at risk are prioritised."),
    (3, "Tenancy sustainment helps older tenants live independently for longer and should be recognised in the ageing well priority.")])


# ---------------------------------------------------------------------------------------------------------
# Metadata: deterministic from SEED.
# ---------------------------------------------------------------------------------------------------------
rng = random.Random(SEED)

LOCAL = ["Med", "M", "C", "SW", "T", "TMBC", "A", "D", "Da", "S", "TW", "FH", "G"]
POP = [280, 176, 157, 151, 141, 132, 132, 117, 117, 121, 115, 109, 106]  # thousands, roughly

EVENT_DATES = {  # roadshow days per area
    "Med": ["2026-10-08", "2026-10-24", "2026-11-14"], "M": ["2026-10-10", "2026-11-07"],
    "C": ["2026-10-15", "2026-11-12"], "SW": ["2026-10-17", "2026-11-05"], "T": ["2026-10-03", "2026-10-31"],
    "TMBC": ["2026-10-22"], "A": ["2026-10-13", "2026-11-10"], "D": ["2026-10-20", "2026-11-18"],
    "Da": ["2026-10-27"], "S": ["2026-11-03"], "TW": ["2026-10-29"], "FH": ["2026-10-06", "2026-11-16"],
    "G": ["2026-11-19"],
}
FOCUS_DATES = {"C": "2026-10-21", "Med": "2026-10-28", "G": "2026-11-04", "A": "2026-11-09", "D": "2026-10-14",
               "T": "2026-11-11", "M": "2026-11-17", "SW": "2026-10-19"}
WORKSHOP_DATES = {"SW": "2026-10-09", "T": "2026-10-12", "D": "2026-10-16", "A": "2026-10-19", "TW": "2026-10-23",
                  "Da": "2026-10-26", "C": "2026-10-30", "S": "2026-11-02", "FH": "2026-11-06", "Med": "2026-11-09",
                  "KW": "2026-11-13", "MW": "2026-11-13", "G": "2026-11-16", "M": "2026-11-20", "TMBC": "2026-11-20"}
PAPER_BATCHES = ["2026-10-19", "2026-11-02", "2026-11-16"]
START = datetime(2026, 10, 1)
END = datetime(2026, 11, 21, 23, 0)

CONFUSE = {0: [5, 4], 1: [5, 3], 2: [3, 0], 3: [2, 4], 4: [5], 5: [4, 0], 6: [5, 0]}


def pick(weights):
    items, w = zip(*weights)
    return rng.choices(items, weights=w)[0]


def online_time():
    # launch bump in the first ten days, a steady middle, and a push before the half-way reminder
    r = rng.random()
    if r < 0.30:
        day = rng.randint(0, 9)
    elif r < 0.85:
        day = rng.randint(10, 44)
    else:
        day = rng.randint(45, 51)
    minutes = rng.choice([rng.randint(7 * 60, 9 * 60), rng.randint(12 * 60, 14 * 60), rng.randint(18 * 60, 23 * 60),
                          rng.randint(9 * 60, 18 * 60)])
    return START + timedelta(days=day, minutes=minutes, seconds=rng.randint(0, 59))


def at(date, lo_h, hi_h):
    d = datetime.strptime(date, "%Y-%m-%d")
    return d + timedelta(minutes=rng.randint(lo_h * 60, hi_h * 60), seconds=rng.randint(0, 59))


def when(channel, district, sub):
    if "campaign" in sub:  # a campaign arrives in a burst after a leaflet drop
        return datetime(2026, 11, 3) + timedelta(hours=8 + sub["campaign"] * 5, minutes=rng.randint(0, 50))
    if channel == "event":
        return at(rng.choice(EVENT_DATES.get(district) or EVENT_DATES["Med"]), 10, 15)
    if channel == "focus-group":
        return at(FOCUS_DATES.get(district, "2026-10-21"), 13, 15)
    if channel == "workshop":
        return at(WORKSHOP_DATES.get(district, "2026-11-13"), 9, 12)
    if channel == "paper":
        return at(rng.choice(PAPER_BATCHES), 9, 16)
    if channel == "email":
        t = online_time()
        return t.replace(hour=rng.randint(8, 17))
    return online_time()


def resident_channel():
    return pick([("online", 57), ("event", 27), ("paper", 9), ("email", 7)])


def about_you(sub):
    keys = ["age", "sex", "eth", "dis", "carer"]
    given = {k: sub[k] for k in keys if k in sub}
    if sub.get("blank_about"):
        return {k: "" for k in keys}
    ch = sub["ch"]
    blank_rate = {"online": 0.30, "event": 0.55, "focus-group": 0.45, "paper": 0.35, "email": 0.80}[ch]
    if not given and rng.random() < blank_rate:
        return {k: "" for k in keys}
    age = given.get("age") or pick([("under-18", 1), ("18-24", 3), ("25-34", 10), ("35-44", 16), ("45-54", 18),
                                    ("55-64", 21), ("65-74", 18), ("75-plus", 9), ("prefer-not-to-say", 3)])
    young = age in ("under-18", "18-24", "25-34")
    sex = given.get("sex") or pick([("female", 76 if young else 62), ("male", 18 if young else 33), ("prefer-not-to-say", 5)])
    diverse = sub["d"] in ("Med", "Da", "G", "MW")
    eth = given.get("eth") or pick([("white", 82 if diverse else 89), ("asian", 6 if diverse else 3), ("black", 4 if diverse else 1.5),
                                    ("mixed", 2.5), ("other", 1), ("prefer-not-to-say", 4)])
    older = age in ("65-74", "75-plus")
    dis = given.get("dis") or pick([("yes", 30 if older else 17), ("no", 64 if older else 77), ("prefer-not-to-say", 6)])
    carer = given.get("carer") or pick([("yes", 19), ("no", 76), ("prefer-not-to-say", 5)])
    out = {"age": age, "sex": sex, "eth": eth, "dis": dis, "carer": carer}
    # people skip questions: drop a field or two now and then (never one the text relies on)
    for k in keys:
        if k not in given and rng.random() < 0.07:
            out[k] = ""
    return out


def chosen(kind, o, explicit):
    if explicit is not None:
        return str(explicit)
    if o is None:
        return NS
    ns, wrong = {"resident": (0.21, 0.05), "staff": (0.10, 0.05), "partner": (0.03, 0.02)}[kind]
    r = rng.random()
    if r < ns:
        return NS
    if r < ns + wrong:
        return str(rng.choice(CONFUSE[o]))
    return str(o)


records = []
for sub in SUBS:
    kind = sub["kind"]
    if not sub.get("d"):
        sub["d"] = rng.choices(LOCAL, weights=POP)[0]
    if not sub.get("ch"):
        sub["ch"] = resident_channel() if kind == "resident" else pick([("online", 70), ("email", 20), ("event", 10)])
    sub["at"] = when(sub["ch"], sub["d"], sub)
    if "consent" not in sub:
        sub["consent"] = "yes" if rng.random() < (0.88 if kind == "resident" else 0.93) else "no"
    sub["about"] = about_you(sub) if kind == "resident" else {k: "" for k in ["age", "sex", "eth", "dis", "carer"]}
    sub["choices"] = [chosen(kind, o, c) for (o, _, c) in sub["comments"]]
    records.append(sub)

records.sort(key=lambda s: s["at"])
rows = []
for n, sub in enumerate(records, start=1):
    rid = "D%04d" % n
    for (o, text, _), choice in zip(sub["comments"], sub["choices"]):
        a = sub["about"]
        rows.append([rid, sub["kind"], sub.get("org", ""), sub.get("ptype", ""), sub["d"], sub["ch"],
                     sub["at"].strftime("%Y-%m-%dT%H:%M:%SZ"), sub["consent"],
                     a["age"], a["sex"], a["eth"], a["dis"], a["carer"], choice, text])

with open(OUT, "w", encoding="utf-8", newline="") as f:
    w = csv.writer(f, quoting=csv.QUOTE_MINIMAL, lineterminator="\r\n")
    w.writerow(COLUMNS)
    w.writerows(rows)

print("wrote %s: %d submissions, %d comments" % (OUT, len(records), len(rows)))
