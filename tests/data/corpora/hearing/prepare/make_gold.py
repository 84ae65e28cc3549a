import json
F={"techuk":"01_techuk_cansoy.txt","demos":"02_demos_miller.txt","bbw":"03_bigbrotherwatch_carr.txt","ico":"04_ico_wood.txt","mac":"05_leeds_macnish.txt","dcms":"06_dcms_vaizey.txt"}
A={"techuk":"techUK","demos":"Demos","bbw":"Big Brother Watch","ico":"Information Commissioner's Office","mac":"Kevin Macnish","dcms":"Ed Vaizey"}
out=[]
def add(id, turns, kind, topic, quotes=None, src=None, stance=None, actors=None, stances=None, note=None):
    if isinstance(turns,str): turns=[turns]
    d={"id":id,"turns":turns}
    if kind=="unanswerable":
        d.update(answerable=False,gold_quotes=[],gold_source=None,actor=None,stance=None)
    else:
        d["answerable"]=True; d["gold_quotes"]=quotes
        srcs = src if isinstance(src,list) else [src]*len(quotes)
        if len(set(srcs))==1: d["gold_source"]=F[srcs[0]]
        else: d["gold_source"]=None; d["gold_sources"]=[F[s] for s in srcs]
        if actors:
            d["actor"]=A[actors[0]]; d["stance"]=stances[0]
            d["actors"]=[A[a] for a in actors]; d["stances"]=stances
        else:
            d["actor"]=A[srcs[0]]; d["stance"]=stance
    d["kind"]=kind; d["topic"]=topic
    if note: d["note"]=note
    out.append(d)

# ---------------- position ----------------
add("sm01","Why isn't techUK happy with the Google right to be forgotten ruling?","position","right to be forgotten ruling",
 ["the fact that it only removes the search link to the data and not the data itself is a major drawback",
  "somebody needs to make a decision about whether the information is in the public interest and should be retained, or whether the link should be removed",
  "we think that there are a number of practical challenges with it, and we do not think it is the right mechanism to deal with what it is trying to address"],"techuk","opposes")
add("sm02","how does the information commissioner's office feel about the phrase 'right to be forgotten'","position","right to be forgotten terminology",
 ["We have indicated that the term “right to be forgotten” is quite difficult. It also raises expectations in the public about what might be able to happen.",
  "it may be an unhelpful one in what it gives to users but having some important ideas behind it",
  "The idea behind it is a good one, which is giving users more control over their data. We are supportive of that."],"ico","mixed")
add("sm03","What does Big Brother Watch like about the new EU data protection rules?","position","EU data protection regulation",
 ["it shifts the burden of evidence away from the individual to the researcher",
  "It gives individuals more control over their information, which is always a good thing.",
  "Anything that can be done to give individuals more control and to have a higher level of safeguards is a good thing."],"bbw","supports")
add("sm04","Does the minster think the government should stop apps grabbing info they don't actually need, like location for a music app?","position","data minimisation by apps",
 ["I do not know whether it should be actively discouraged by Government. I certainly think there should be a debate about the amount of information a company may wish to get from you.",
  "The people behind that app might think that in a year or two having that location data could take them to the next stage of how the app is used."],"dcms","mixed")
add("sm05","What should a company do before it runs an experiment on its users, according to the ethicist from Leeds?","position","consent to research experiments",
 ["if you are going to go into some sort of experiment like this, you tell the users, “We are going to engage in an experiment. These are the harms and the benefits that may occur. Do you consent to doing this?”",
  "it seems quite reasonable to expect that companies should obey the same standards and requirements as universities",
  "it is reasonable to be informed about the risks and benefits that will occur to you as a result of your data having been used"],"mac","recommends")
add("sm06","Is the public sector making good use of social media data in Demos's view?","position","public sector use of social media data",
 ["within civic society and especially within Government we have seen very little innovation indeed",
  "It is not being used by the public sector.",
  "There is so much more value that can be got from Government and the civil service using all of this incredibly valuable data"],"demos","concerned")
add("sm07","What does Ed Vaizey see as government's job when it comes to online terms and conditions?","position","government role on terms and conditions",
 ["Government’s role should be to ensure that the consumer understands what the company is asking for and gives consent to that.",
  "We should not necessarily restrict what they want to ask the consumer about how they use their data. I think that ends up being too top down and potentially restricts innovation.",
  "I think Government’s role is to ensure that the consumer understands that the company is asking permission"],"dcms","describes")
add("sm08","Can we trust research based on tweets? What's Carl Miller's main worry about reliability?","position","reliability of social media research",
 ["the fact that methods across the whole of the industry are young and weak and often cannot do the job",
  "the methodologies that exist right now cannot usually satisfy the evidentiary requirements of public policy makers",
  "The first concern is that black box techniques are used."],"demos","concerned")
add("sm09","Is the government any good at sharing data between its own departments, according to the minister?","position","data sharing within government",
 ["No, I don’t think we have cracked it; it is a challenge. Government need to do much more about data sharing.",
  "Across the piece in Government, single Departments make it very hard to do cross-departmental working."],"dcms","concerned")
add("sm10","What bothers Dr Macnish about trawling social media to find terrorists?","position","social media surveillance for counter-terrorism",
 ["My concern is that we may end up in a dragnet scenario whereby all social media is collected and trawled through in a fishing trip expedition just to find the interesting information and to find the terrorists out of that.",
  "I think Government having unrestricted access to citizens’ social media would not be a healthy thing.",
  "the idea of having everybody’s information collected just so it can be trawled through looking for trends is a worrying one"],"mac","concerned")
add("sm11","When does the ICO think asking for consent is the right approach, and when isn't it?","position","consent",
 ["you should use consent only when it is true consent—an individual has a choice and it is freely informed—and there is not an imbalance",
  "we accept that in some circumstances consent will not always be the right route for research for a number of reasons",
  "The more intrusive the processing of the data and the greater the risks or implications for the individual, the more important it is that they have very clear information"],"ico","describes")
add("sm12","Do government departments actually know what they want to do with big data? What has Big Brother Watch seen?","position","government understanding of big data",
 ["when we ask what data they want to have and currently cannot have access to and what they want to do with it, often they do not have the answer to that question",
  "there is something of a question mark against what they then want to do with it, perhaps because they do not have the necessary knowledge inside that Government Department"],"bbw","concerned")
add("sm13","Is a Facebook post public or private? How does Macnish see it","position","public/private status of social media posts",
 ["With social media you are talking about a quasi-public arena, which I think muddies the waters quite a bit.",
  "there is not the clear public/private divide any more that there might have been 20 years ago",
  "When you publish something on Facebook, your reasonable expectations may be that it just goes out to a very limited number of friends"],"mac","describes")

# ---------------- fact ----------------
add("sm14","How many people are uneasy about the ways their social media data gets used, per Demos research?","fact","public unease about data use",
 ["Between 60% and 90% of people questioned about specific uses of social media data are uneasy about how it is currently happening."],"demos","describes")
add("sm15","how many EU jobs could be lost because of the data protection regulation according to techUK's figure","fact","jobs impact of EU regulation",
 ["An estimate by Deloitte suggests that the EU could lose as many as 2.8 million jobs as a result."],"techuk","concerned")
add("sm16","What share of people hadn't been told they could opt out of care.data?","fact","Care.data opt-out",
 ["We found that 69% of people had not been informed of the right to opt out of Care.data."],"bbw","describes")
add("sm17","How much money is going into the Alan Turing Institute and high performance computing?","fact","government investment in data science",
 ["whether it is the £40 million to the Alan Turing Institute",
  "the £189 million we have put into high-performance computing, or the £50 million we have put into the connected digital economy catapult"],"dcms","describes")
add("sm18","What proportion of UK citizens worry about companies using their data without consent?","fact","public concern about consent",
 ["Research carried out by Eurobarometer 2011 suggested that 80% of UK citizens were concerned about their data being used by companies without user consent."],"mac","describes")
add("sm19","How long has the ICO been pushing privacy impact assesments?","fact","privacy impact assessments",
 ["It is a process we have been promoting for about eight years at the ICO."],"ico","supports")
add("sm20","roughly how many twitter accounts are fake","fact","fake accounts",
 ["so it is likely that one in 10 Twitter accounts is fake",
  "You can go out and buy Twitter followers if you want"],"demos","describes")

# ---------------- keyword ----------------
add("sm21","privacy seal scheme","keyword","privacy seals",
 ["The other area we are exploring at the Information Commissioner's Office at the moment is the concept of a privacy seal scheme.",
  "That would be a standard scheme we might be able to endorse, but we are still exploring that at the moment."],"ico","describes")
add("sm22","function creep","keyword","function creep",
 ["Function creep can occur, whereby the initial intention is morphed slowly and slowly until eventually you end up in a totally different position that was not envisaged at the beginning."],"mac","concerned")
add("sm23","layered privacy notice","keyword","privacy notices",
 ["There is also the concept of a layered notice—I do not know whether you have heard of that before—where you have the basic information at the first point in a privacy notice"],"ico","recommends")
add("sm24","techUK data principles Information Economy Council","keyword","industry data principles",
 ["creating a set of data principles to address how we can reassure consumers in this new digital age without losing the opportunity to get the most out of technological innovations",
  "They are currently working on an initial set of principles, covering areas such as access, control, transparency and simplicity of message"],"techuk","supports")
add("sm25","Government Digital Service data sharing","keyword","Government Digital Service",
 ["We have made great strides with the Government Digital Service.",
  "What that is going to do in terms of data sharing is allow Government to have an overview of how the citizen transacts with Government.",
  "I would encourage the Committee to look at the work of the Government Digital Service. I think that is the pioneer."],"dcms","welcomes")
add("sm26","hybrid skills social + computational science","keyword","skills for social media analysis",
 ["In my view, social media analysis requires a hybrid skills set. This is both a social and a computational science.",
  "it forces the meshing together of both social and computational sciences"],"demos","recommends")

# ---------------- who ----------------
add("sm27","Who wanted people who knowingly leak personal data to face jail time?","who","penalties for data breaches",
 ["there could be far harsher penalties available for people who breach section 55 of the Data Protection Act by knowingly disclosing information",
  "That is something that could very easily be rectified. You could have custodial sentences available."],"bbw","recommends")
add("sm28","Which witness thinks Twitter is the easiest platform to use ethically?","who","Twitter data ethics",
 ["The other reason that Twitter has its own “ology” is that, ethically, it is clearly the most straightforward source of data to use."],"demos","describes")
add("sm29","Who disagrees with the minister that social media is just part of big data?","who","social media as a discipline",
 ["It does not just come under the umbrella of big data; it is a new academic field and a new discipline within research, and, in my view, it should be a new profession in the civil service.",
  "my concern is that if you simply see social media as part of the “eight great technologies”—if you simply see social media research as part of the UK data capability strategy—we are going to get very good at counting things from social media, but we are not going to know very well what we are counting",
  "but I am concerned about this being treated basically as a small branch of data science"],"demos","opposes")
add("sm30","Who suggested kitemarks for terms and conditions?","who","kitemarks for terms and conditions",
 ["I would love to see a kitemarking regime, where an independent body could authenticate whether or not the terms and conditions were clear.",
  "we certainly ought to have kitemark terms and conditions",
  "engaging industry to come up with proposals for simplified terms and conditions and a kitemark, which I think industry wants as well"],
 ["demos","demos","dcms"],actors=["demos","demos","dcms"],stances=["recommends","recommends","supports"])
add("sm31","Which witnesses think the current UK Data Protection Act is basically OK?","who","adequacy of the Data Protection Act",
 ["we believe that the UK data protection framework is broadly fit for purpose",
  "the regularity framework around the Data Protection Act is pretty good, certainly for data in this country, despite its being fairly old",
  "I do not think the current data protection law as it stands is necessarily a barrier to research."],
 ["techuk","bbw","ico"],actors=["techuk","bbw","ico"],stances=["accepts","accepts","accepts"])
add("sm32","Who's been promoting privacy impact assessments?","who","privacy impact assessments",
 ["one area we are keen to promote is the concept of a privacy impact assessment",
  "The privacy impact assessment that we have developed at the Information Commissioner’s Office can be a useful tool"],"ico","recommends")

# ---------------- comparison ----------------
add("sm33","techUK vs Big Brother Watch on the proposed EU data protection regulation - who's for it and who's against?","comparison","EU data protection regulation",
 ["we think that the proposed EU data protection regulation is not the right mechanism. As it stands, we think that it would be very damaging to businesses across industry",
  "One of the things that Big Brother Watch quite liked about the new EU regulation was that it shifts the burden of evidence away from the individual to the researcher."],
 ["techuk","bbw"],actors=["techuk","bbw"],stances=["opposes","supports"])
add("sm34","Do Carl Miller and Ed Vaizey agree on whether social media deserves to be treated as its own field?","comparison","social media as a distinct discipline",
 ["It does not just come under the umbrella of big data; it is a new academic field and a new discipline within research",
  "I think that for practical reasons social media fits within the Government’s approach to big data."],
 ["demos","dcms"],actors=["demos","dcms"],stances=["supports","rejects"])
add("sm35","Compare Macnish and the Minister on how often users should be asked for consent","comparison","frequency of consent",
 ["I believe so, yes; yes, I would say so.",
  "Explicit consent can lead to excessive bureaucracy. It can also damage the consumer’s experience, which was the debate we had about e-privacy, if they have to keep giving consent at every stage of their interaction with a business."],
 ["mac","dcms"],actors=["mac","dcms"],stances=["supports","concerned"],
 note="Macnish's 'I believe so, yes' answers Mr Heath's 'Each and every time a piece of information is used for research purposes.' (Q166); the longer Macnish quote at Q165 is an alternative.")
# replace weak short quote with a longer one as alternative
out[-1]["gold_quotes"]=["it seems quite reasonable to expect that companies should obey the same standards and requirements as universities",
  "Explicit consent can lead to excessive bureaucracy. It can also damage the consumer’s experience, which was the debate we had about e-privacy, if they have to keep giving consent at every stage of their interaction with a business."]
out[-1]["note"]="Macnish then agrees (Q166) that consent should be sought each and every time information is used for research."
add("sm36","techUK and Big Brother Watch on re-identifying people from anonymised data: how worried is each?","comparison","re-identification risk",
 ["If the motivation is just to show that, academically, it is possible to do it, then, yes, it is possible; but evidence of it happening on the ground is very limited",
  "as time goes on and more datasets are created, it becomes easier to re-identify information that has been de-identified"],
 ["techuk","bbw"],actors=["techuk","bbw"],stances=["mixed","concerned"])
add("sm37","What did the ICO and techUK each make of the European court's Google judgment?","comparison","right to be forgotten ruling",
 ["One of the challenges of the judgment, and the issue we are still mulling over, is that it does not make very much reference to freedom of expression.",
  "we do not think it is the right mechanism to deal with what it is trying to address"],
 ["ico","techuk"],actors=["ico","techuk"],stances=["concerned","opposes"])
add("sm38","Big Brother Watch and Kevin Macnish both talked about the US Patriot Act. Do they think the UK needs something like it?","comparison","Patriot Act",
 ["If the question is, “Do we need a Patriot Act to get access to communications?” the response is no.",
  "My understanding is that this latter approach is how the UK currently operates. That seems to be a much safer approach."],
 ["bbw","mac"],actors=["bbw","mac"],stances=["opposes","opposes"])

# ---------------- multiturn ----------------
add("sm39",["What does techUK think of the proposed EU data protection regulation?","Why?"],"multiturn","EU data protection regulation",
 ["As it stands, we think that it would be very damaging to businesses across industry—the tech industry definitely, but also a number of others. We believe that it would hit jobs and growth.",
  "they would have thought hard before taking the risk. It is possible that they might have decided not to go ahead, to the degree that they thought that it would be very burdensome for businesses"],"techuk","opposes")
add("sm40",["What did Big Brother Watch say about Care.data?","Would they rather people had to opt in?"],"multiturn","opt-in versus opt-out",
 ["We would always advocate an opt-in rather than an opt-out as best practice, but we understand that that is not always practicable."],"bbw","recommends")
add("sm41",["How does Ed Vaizey feel about explicit consent?","So what would he do instead?"],"multiturn","generic consent",
 ["You can provide informed consent by giving it, as it were, at the beginning of a transaction and your relationship with a business",
  "You can give specific or implied consent by getting a clear explanation, perhaps with reference to the discussion we had earlier, of the broad terms and conditions to which you are signing up"],"dcms","recommends")
add("sm42",["What's the ICO's take on the Google right to be forgotten ruling?","And Kevin Macnish?"],"multiturn","right to be forgotten ruling",
 ["There is a lot of detail to be worked out in the whole concept of the right to be forgotten that the Spanish judgment was drawing on.",
  "how do you know whether or not something is in the public interest, especially after a gap of five, 10 or 15 years?",
  "What counts as being a newspaper in that sense is not entirely clear."],"mac","concerned")
add("sm43",["Does the Information Commissioner's Office think data protection law gets in the way of research?","What about stuff people have already made public?"],"multiturn","public data and research",
 ["sometimes there is a misconception that once the data is public it ceases to be personal data. It is still personal data under the legislation",
  "The fact that it is public is a factor which often can link in to legitimise the research in the first place."],"ico","describes")
add("sm44",["What worries Demos about how the public feel about their data being used?","What did they want the government to do about it?"],"multiturn","consumer rights regime for data",
 ["This is somewhere the Government can do a lot of good, helping to create a new consumer rights regime around data, with kitemarks and clearer terms of service.",
  "It is not particularly clear what role the Government have to play in that, other than supporting it, but we certainly ought to have kitemark terms and conditions"],"demos","recommends")
add("sm45",["Did anyone talk about using tweets during disasters?","Could the government actually keep up with that volume of information?"],"multiturn","disaster response",
 ["I think you can run algorithms against it even when it is coming through quickly.",
  "My understanding is that we probably do, but I do not know quite the volumes that we would be talking about as to whether or not we could deal with it."],"mac","describes")
add("sm46",["What did Emma Carr think about the Patriot Act?","Did Macnish agree? What's his problem with it?"],"multiturn","Patriot Act",
 ["One is that there appears to have been, from my limited understanding, a secret interpretation of that particular section, which I see as being wholly undemocratic.",
  "The second thing is precisely what I said. It allows for dragnet collection.",
  "I have two problems with the Patriot Act, both revolving around section 215, which is the most controversial aspect."],"mac","opposes")
add("sm47",["What's the minister's view on re-identifying anonymized data?","Should it be a crime for anyone to do it, not just people in a position of trust?"],"multiturn","criminalising re-identification",
 ["I am not aware that the Government take that view, and it is not my view at present.",
  "somebody sitting at home taking reams of data and trying to reconstitute it. My understanding is that that is not an offence"],"dcms","rejects")
add("sm48",["Why do companies write such enormously long privacy notices, according to the ICO?","So are they doing it on purpose?"],"multiturn","long privacy notices",
 ["I would not say they are necessarily written in that way deliberately. Often, they will come from a culture within an organisation where lawyers are heavily involved.",
  "In part, it comes from that perspective rather than being deliberately long, but there may be some organisations that sometimes are able to exploit the opacity of the notice."],"ico","describes")

# ---------------- unanswerable ----------------
for i,(q,topic,note) in enumerate([
 ("What did Facebook say in its defence about the emotion experiment?","Facebook emotion experiment","Facebook gave no evidence; Macnish only mentions the experiment."),
 ("What is the Open Rights Group's position on the EU data protection regulation?","Open Rights Group","Not a witness in the corpus."),
 ("How much did the ICO fine companies for data breaches last year?","ICO fines","No fine totals are given; Carr mentions fines of under £1 per record only in general."),
 ("What did the committee recommend in its final report?","committee report","The report is not in the corpus."),
 ("Does techUK have a view on Care.data?","techUK on Care.data","Care.data is discussed only by Big Brother Watch."),
 ("whats the minister's position on net neutrality","net neutrality","Not discussed."),
 ("When is the new EU data protection regulation expected to come into force?","EU regulation timetable","No date given; only that negotiations are under way."),
 ("Did any witness talk about LinkedIn selling user data?","LinkedIn","LinkedIn is not mentioned."),
 ("What did GCHQ say in response to the reports that it was snooping on Facebook?","GCHQ","GCHQ only appears in a newspaper headline quoted by the Chair; no GCHQ response."),
 ("How many complaints about social media privacy does the ICO get each year?","ICO complaints","Wood mentions nuisance call complaints but gives no numbers."),
 ("What does the Scottish Government think about sharing NHS patient data?","Scottish Government","Not in the corpus."),
 ("How many staff does Big Brother Watch employ and how is it funded?","Big Brother Watch organisation","Not stated."),
]):
    add(f"sm{49+i}",q,"unanswerable",topic,note=note)

with open("/work/devset2/hc245-social-media/gold.jsonl","w") as f:
    for d in out: f.write(json.dumps(d,ensure_ascii=False)+"\n")
from collections import Counter
print(len(out),Counter(d["kind"] for d in out))
