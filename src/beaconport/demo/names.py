"""Name lists for fictional people: forenames and surnames by origin, nicknames, street names.

Every person the demo makes is a random combination from these lists, so no generated person is
anyone real. Within a list, ``A/B/C`` are transliteration variants of one name: the person gets one
spelling and force records may use another, as real systems do (Mohammed/Muhammad, Hussain/Husain).
Surname lists run from the most common, and are drawn more often the higher a name stands; some
origins add a long tail of rarer surnames (``Origin.rarer_surnames``).
Origins are drawn independently of ethnicity (see ``ethnicity.py``): the demo never lets a name
predict an ethnicity beyond the plain population mix.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Origin:
    name: str
    weight: float
    male: tuple[tuple[str, ...], ...]  # each a group of spellings of one name
    female: tuple[tuple[str, ...], ...]
    surnames: tuple[tuple[str, ...], ...]
    second_forename: float  # how often people of this list carry two forenames
    #: Rarer surnames beyond the list, drawn evenly, and the share of people carrying one. Real
    #: surnames have a long tail (Smith, the commonest in England and Wales, is carried by
    #: under 1 % of people); drawn from a short list alone, every name would be commoner than
    #: Smith and namesakes many times commoner than police records see them.
    rarer_surnames: tuple[str, ...] = ()
    rarer_share: float = 0.0
    #: Rarer forenames beyond the lists, drawn evenly, and the share of people carrying one.
    #: Forenames have a long tail too: outside a cohort's hundred commonest names are a third
    #: or more of children, and its commonest name is given to 2 to 4 % of them.
    rarer_male: tuple[str, ...] = ()
    rarer_female: tuple[str, ...] = ()
    rarer_forename_share: float = 0.0


def _groups(text: str) -> tuple[tuple[str, ...], ...]:
    """``"Mohammed/Muhammad Imran"`` → ``(("Mohammed", "Muhammad"), ("Imran",))``."""
    return tuple(tuple(group.split("/")) for group in text.split())


def _words(text: str) -> tuple[str, ...]:
    return tuple(text.split())


def _compose(starts: str, endings: str, leave_out: tuple[tuple[str, ...], ...]) -> tuple[str, ...]:
    """Every start with every ending (``"Ash Black"``, ``"worth ley"`` → Ashworth, Ashley,
    Blackworth, Blackley), less the names already listed: surnames in the shape of real ones
    (most English surnames are a place, and most places a word and an ending), none of them a
    person."""
    listed = {name for group in leave_out for name in group}
    return tuple(sorted({s + e for s in starts.split() for e in endings.split()} - listed))


_BRITISH_SURNAMES = _groups(
    "Smith Jones Taylor Brown Wilson Johnson Walker Wright Robinson Thompson White Hughes"
    " Edwards Green Hall Wood Harris Martin Jackson Clarke Turner Hill Scott Cooper Morris"
    " Ward Moore King Watson Baker Harrison Young Allen Mitchell Anderson Parker Shaw Lloyd"
    " Holmes Barker Atkinson Sutcliffe Greenwood Ackroyd Haigh Lockwood Kershaw Butterworth"
    " Pickles Whitworth Ormerod Fairclough Heywood Brierley Hartley Dawson Marsden Firth")
_BRITISH_RARER = _compose(
    "Ash Black Brad Brom Burn Cart Clay Cold Crom Dal Down Elm Fair Farn Green Hal Hart Hay"
    " Hol Horn Kirk Lang Mar Mid Mor New Nor Oak Pen Row Shel Stan Stock Sut Thorn Wal War"
    " West Whit Win Ald Ark Bar Birk Brook Cal Chad Chet Craw Dun East Fen Gar Gold Had"
    " Hather Hawk Hunt Ingle Lock Nether Old Pres Rad Rams Red Rock Sand Sal Tad",
    "worth ley ton field wood ford ham by well croft stone bury more dale shaw wick brook"
    " hurst thwaite cliffe den hill land bridge cott stead burn gate house combe",
    _BRITISH_SURNAMES)


def _beyond(text: str, *listed: tuple[tuple[str, ...], ...]) -> tuple[str, ...]:
    """The names in ``text`` not already in a list (a rarer name is never also a listed one)."""
    known = {name for groups in listed for group in groups for name in group}
    return tuple(name for name in dict.fromkeys(text.split()) if name not in known)


_POLISH_RARER = _compose(
    "Bor Brzez Chmiel Czarn Dab Gor Grab Jabl Jan Kacz Kal Kamien Krol Krzyw Las Lip Maj"
    " Mal Mich Olsz Pawl Piotr Rut Sad Sik Sob Sok Stan Tomasz Wal Wieczor Wil Wrob Zal"
    " Zaw Ziel", "owski ewski inski czyk iak owicz ek", ())
_ROMANIAN_RARER = _compose(
    "Pop Ion Dum Stoic Const Gheorgh Rad Stef Nicol Vasil Tud Dragom Munt Lup Mih Olar"
    " Barb Serb Manol Georg", "escu eanu", ())


_BRITISH_MALE = _groups(
    "James John David Michael Paul Mark Daniel Thomas Christopher Andrew Richard Steven Lee"
    " Craig Darren Jason Wayne Gary Kevin Ryan Liam Jordan Connor Jamie Scott Dean Carl"
    " Shaun Anthony Matthew Robert Stephen Neil Simon Peter Adam Luke Callum Kyle Reece"
    " Nathan Ashley Jack")
_BRITISH_FEMALE = _groups(
    "Sarah Emma Laura Jessica Chloe Charlotte Hannah Amy Rebecca Lauren Megan Sophie Katie"
    " Jade Danielle Stacey Kayleigh Shannon Courtney Bethany Ellie Molly Paige Holly Leanne"
    " Gemma Nicola Lisa Kirsty Amber Abbie Jodie Natasha Rachel")
_SOUTH_ASIAN_MALE = _groups(
    "Mohammed/Muhammad/Mohammad/Mohamed Imran Asif/Aasif Tariq/Tarik Zahid Shahid/Shahed"
    " Kamran Naveed/Navid Adil/Adeel Faisal/Faysal Usman/Osman Amir/Aamir Bilal Sajid Waqar"
    " Arshad Rizwan Nadeem/Nadim Abdul Harpreet Gurpreet Sukhdev Rajesh Sanjay"
    " Shafiq/Shafique Azhar Raheel Ishaq/Ishaque Ahmed/Ahmad Iqbal/Ikbal Hussain/Hussein")
_SOUTH_ASIAN_FEMALE = _groups(
    "Ayesha/Aisha/Aysha Fatima/Fatimah Sana Zainab/Zaynab Nadia Amina/Aminah Samina"
    " Rukhsana Shazia Saima Noor Hina Priya Simran Jaspreet Anjali Sobia Mariam/Maryam Iqra"
    " Hafsa")
# Real forenames, each given to many thousands: none of them, with any surname, is a person.
# Short forms a force may write for a listed name (Billy, Tony, Charlie) are left out.
_BRITISH_MALE_RARER = _beyond(
    "Aaron Alan Alex Alexander Alfie Alistair Archie Barry Ben Benjamin Bradley Brian"
    " Charles Clive Colin Curtis Damian Declan Dennis Derek Dominic Douglas Duncan"
    " Dylan Edward Elliot Ethan Frank Frankie Gavin Geoffrey George Glen Gordon Graham Harry"
    " Harvey Henry Howard Ian Jacob Jake Jeffrey Jeremy Joel Joseph Joshua Kane Karl Keith"
    " Kenneth Kieran Kirk Leon Lewis Lloyd Malcolm Marcus Martin Mason Max Mitchell Morgan"
    " Niall Nicholas Nigel Norman Oliver Oscar Owen Patrick Philip Raymond Reuben Robbie"
    " Roger Ross Roy Russell Sam Samuel Sean Shane Spencer Stuart Terry Toby Travis"
    " Trevor Troy Tyler Vincent Warren Wesley William Zak", _BRITISH_MALE)
_BRITISH_FEMALE_RARER = _beyond(
    "Abigail Aimee Alice Alisha Alison Amanda Amelia Angela Anna Beth Caitlin Carla Carly"
    " Caroline Chantelle Cheryl Ciara Claire Demi Donna Eleanor Elise Ella Eloise Emily Erin"
    " Esme Evie Faye Francesca Freya Georgia Gina Grace Hayley Heather Helen Hollie Imogen"
    " Isabel Isabella Jasmine Jennifer Jenny Joanne Julie Karen Kate Kayla Keeley Kelly Kerry"
    " Kimberley Lacey Leah Leigh Lily Louise Lucy Lydia Maisie Melissa Mia Michelle Millie"
    " Mollie Nadine Naomi Natalie Olivia Phoebe Poppy Robyn Rosie Ruby Samantha Sasha Sharon"
    " Sienna Skye Stephanie Summer Tara Tegan Tia Tiffany Toni Tracey Victoria Zoe",
    _BRITISH_FEMALE)
_SOUTH_ASIAN_MALE_RARER = _beyond(
    "Adnan Akram Amjad Arif Asad Asim Atif Ayub Babar Basharat Danish Ehsan Farhan Fawad"
    " Ghulam Haider Haroon Hasnain Irfan Ismail Jamil Junaid Kashif Khalid Mansoor Mazhar"
    " Mubashir Mudassar Munir Nasir Nauman Omar Qaiser Rafiq Saeed Sajjad Salman Saqib Shahzad"
    " Shakeel Shoaib Sohail Sultan Tahir Talib Tanveer Umar Wasim Yasir Zafar Zeeshan Zubair"
    " Amit Anil Ashok Deepak Manjit Harjinder Jaswinder Kuldeep Paramjit Ravi Sandeep Sunil"
    " Vijay Vikram", _SOUTH_ASIAN_MALE)
_SOUTH_ASIAN_FEMALE_RARER = _beyond(
    "Aaliyah Afshan Alia Amna Anila Arooj Asma Bushra Farah Farzana Ghazala Humaira Khadija"
    " Kiran Mahnoor Maira Mehwish Misbah Nabila Naila Nasreen Nazia Neelam Parveen Rabia"
    " Rehana Rubina Sadia Safia Saira Salma Samira Shabana Shaista Shamim Sidra Sumaira"
    " Tahira Tasneem Uzma Yasmin Zara Zubaida Aleena Anam Eman Hajra Laiba Maham Mehak Noreen"
    " Rida Pooja Neha Kajal Kavita Sunita Harjit Manpreet Navjot Kulwinder Amandeep Sukhjit"
    " Gurleen Harleen Divya Meera Nisha Reena Shilpa Sonia", _SOUTH_ASIAN_FEMALE)


ORIGINS: tuple[Origin, ...] = (
    Origin("british", 50, _BRITISH_MALE, _BRITISH_FEMALE, _BRITISH_SURNAMES, 0.45,
           _BRITISH_RARER, 0.8, _BRITISH_MALE_RARER, _BRITISH_FEMALE_RARER, 0.4),
    Origin("welsh", 4, _groups(
        "Rhys Dafydd Gareth Owain Iwan Geraint Aled Huw Emyr Gethin Rhodri Osian"), _groups(
        "Ffion Cerys Seren Nia Catrin Sian Bethan Carys Lowri Elin Mared Alys"), _groups(
        "Jones Davies Evans Williams Thomas Roberts Lewis Morgan Griffiths Price Rees"
        " Pritchard Powell Jenkins Pugh Bowen Parry Vaughan Llewellyn Howells"), 0.4),
    Origin("south_asian", 22, _SOUTH_ASIAN_MALE, _SOUTH_ASIAN_FEMALE, _groups(
        "Khan Ali Hussain/Hussein/Husain Ahmed/Ahmad Iqbal/Ikbal Akhtar/Akhter"
        " Mahmood/Mehmood/Mahmud Rashid Shah Butt Raja Malik Chaudhry/Chaudhary/Choudhury/Chowdhury"
        " Qureshi/Kureshi Aslam Anwar Karim/Kareem Siddiqui/Siddiqi Patel Singh Sharma Mirza"
        " Javed/Javaid Yousaf/Yusuf/Yousuf Zaman Rehman/Rahman Miah/Mia Uddin Islam Hanif Sadiq"),
        0.6, rarer_male=_SOUTH_ASIAN_MALE_RARER, rarer_female=_SOUTH_ASIAN_FEMALE_RARER,
        rarer_forename_share=0.4),
    Origin("eastern_european", 8, _groups(
        "Marek Tomasz Piotr Pawel Krzysztof Lukasz Andrzej Adrian Ionut Florin Marian Gheorghe"
        " Vasile Mihai Constantin Jozef Martin Miroslav Lubomir Tomas Darius Arturas Ondrej"),
        _groups(
        "Agnieszka Katarzyna Monika Magdalena Andreea Elena Ioana Simona Petra Lucia Zuzana"
        " Ewa Natalia Alina"), _groups(
        "Nowak Kowalski Wisniewski Wojcik Kaminski Lewandowski Zielinski Popescu Ionescu"
        " Dumitru Stan Balog Horvath Kovac Varga Lakatos Gabor Dudas Petrauskas Kazlauskas"
        " Novak Dvorak Cervenka Mazur"), 0.1, _POLISH_RARER + _ROMANIAN_RARER, 0.6),
    Origin("kurdish", 4, _groups(
        "Rebwar Hemin Karwan Dler Sirwan Shwan Azad Rawand Hawre Kawa Zana Aram Bryar"),
        _groups("Shilan Sozan Avin Berivan Nazdar Shirin Rezan Dilan"), _groups(
        "Aziz Rasul/Rasool Hamad Abdullah Othman/Osman Faraj Salih/Saleh Qadir/Kadir Rahim"
        " Amin Omer/Omar Jalal"), 0.1),
    Origin("afghan", 4, _groups(
        "Wahid Farid Jawad Naqibullah Hamid Rahmatullah Sayed/Said Mirwais Zabihullah Najib"
        " Shafiullah Habib Rohullah Ahmad/Ahmed"), _groups(
        "Freshta Mursal Zarghona Nargis Parwana Shabnam Laila/Leila Mahbooba"), _groups(
        "Ahmadzai Popal Safi Sultani Hashimi Noori/Nuri Rahimi Karimi Stanikzai Wardak"
        " Mohammadi Amiri Azizi Hotak Shinwari Sadat"), 0.2),
    Origin("black_british", 8, _groups(
        "Kwame Kofi Emeka Chinedu Olu Tunde Abdi Yonas Dawit Tesfay Jermaine Tyrone Marcus"
        " Andre Leon Delroy Winston Kemar Isaac Samuel"), _groups(
        "Abena Ama Chioma Ngozi Funmi Hodan Saba Shanice Tanisha Keisha Monique Kerry-Ann"
        " Grace Blessing"), _groups(
        "Mensah Boateng Asante Okafor Okonkwo Adeyemi Balogun Abdi Farah Warsame Hassan/Hasan"
        " Tesfaye Haile Campbell Francis Grant Reid Bailey Henry Clarke Johnson"), 0.3,
        _BRITISH_RARER, 0.3, _BRITISH_MALE_RARER, _BRITISH_FEMALE_RARER, 0.3),
)

# Nicknames a record may carry as an alias; keyed by the name they shorten.
SHORT_FORMS: dict[str, tuple[str, ...]] = {
    "Mohammed": ("Mo", "Moe"), "Muhammad": ("Mo",), "Mohammad": ("Mo",), "Mohamed": ("Mo",),
    "Imran": ("Immy",), "Daniel": ("Danny", "Dan"), "Michael": ("Mick", "Mikey"),
    "Anthony": ("Tony", "Ant"), "Robert": ("Rob", "Bobby"), "Christopher": ("Chris",),
    "Stephen": ("Steve",), "Steven": ("Steve",), "Matthew": ("Matt",), "Jonathan": ("Jon",),
    "Nadeem": ("Naz",), "Kamran": ("Kami",), "Bilal": ("Billy",), "Shahid": ("Shady",),
    "Thomas": ("Tom", "Tommy"), "Andrew": ("Andy",), "Richard": ("Rich", "Ricky"),
    "Rizwan": ("Rizzy",), "Sajid": ("Saj",), "Tariq": ("Taz",), "Waqar": ("Wax",),
    "Tomasz": ("Tomek",), "Krzysztof": ("Krzys",), "Dawit": ("Dave",), "Jermaine": ("J",),
    "Rebecca": ("Becky",), "Jessica": ("Jess",), "Katie": ("Kat",), "Natasha": ("Tash",),
    "Danielle": ("Dani",), "Charlotte": ("Charlie",), "Elizabeth": ("Liz",),
}
NICKNAMES: tuple[str, ...] = _words(
    "Taz Baz Jonno Deano Ace Sonny Jay Kaz Bash Naz Tiny Chef Bubba Smudge Sully Dizzy Red"
    " Blue Lucky Scouse Geordie Moz Rocky Bugsy Tigger Shorty Benji")

STREET_NAMES: tuple[str, ...] = _words(
    "Albert Victoria Chapel Mill Oak Ash Beech Elm Church Station Park Queen King Princess"
    " Cross Bridge Market Spring Hollin Fern Heather Moor Dale Brook Hawthorn Rowan Willow"
    " Lime Cedar Laurel Aspen Clover Bramble Thistle Primrose Holly Ivy Juniper Sycamore"
    " Westfield Eastfield Northfield Southfield Highfield Greenhill Lowther Ravensworth"
    " Ashgrove Beechwood Oakdene Elmfield Millbank Brookside Fernlea Moorside")
STREET_KINDS: tuple[str, ...] = _words(
    "Street Street Street Road Road Road Lane Terrace Avenue Close Grove Crescent Drive Way"
    " Place Walk Gardens Mount Row View")
STREET_ABBREVIATIONS: dict[str, str] = {
    "Street": "St", "Road": "Rd", "Lane": "Ln", "Avenue": "Ave", "Terrace": "Terr",
    "Crescent": "Cres", "Drive": "Dr", "Close": "Cl", "Gardens": "Gdns", "Place": "Pl",
}

OFFICER_RANKS: tuple[str, ...] = _words("DC DC DS DS DS DI PC Insp")

