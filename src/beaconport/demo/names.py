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
_POLISH_RARER = _compose(
    "Bor Brzez Chmiel Czarn Dab Gor Grab Jabl Jan Kacz Kal Kamien Krol Krzyw Las Lip Maj"
    " Mal Mich Olsz Pawl Piotr Rut Sad Sik Sob Sok Stan Tomasz Wal Wieczor Wil Wrob Zal"
    " Zaw Ziel", "owski ewski inski czyk iak owicz ek", ())
_ROMANIAN_RARER = _compose(
    "Pop Ion Dum Stoic Const Gheorgh Rad Stef Nicol Vasil Tud Dragom Munt Lup Mih Olar"
    " Barb Serb Manol Georg", "escu eanu", ())


ORIGINS: tuple[Origin, ...] = (
    Origin("british", 50, _groups(
        "James John David Michael Paul Mark Daniel Thomas Christopher Andrew Richard Steven Lee"
        " Craig Darren Jason Wayne Gary Kevin Ryan Liam Jordan Connor Jamie Scott Dean Carl"
        " Shaun Anthony Matthew Robert Stephen Neil Simon Peter Adam Luke Callum Kyle Reece"
        " Nathan Ashley Jack"), _groups(
        "Sarah Emma Laura Jessica Chloe Charlotte Hannah Amy Rebecca Lauren Megan Sophie Katie"
        " Jade Danielle Stacey Kayleigh Shannon Courtney Bethany Ellie Molly Paige Holly Leanne"
        " Gemma Nicola Lisa Kirsty Amber Abbie Jodie Natasha Rachel"), _BRITISH_SURNAMES,
        0.45, _BRITISH_RARER, 0.8),
    Origin("welsh", 4, _groups(
        "Rhys Dafydd Gareth Owain Iwan Geraint Aled Huw Emyr Gethin Rhodri Osian"), _groups(
        "Ffion Cerys Seren Nia Catrin Sian Bethan Carys Lowri Elin Mared Alys"), _groups(
        "Jones Davies Evans Williams Thomas Roberts Lewis Morgan Griffiths Price Rees"
        " Pritchard Powell Jenkins Pugh Bowen Parry Vaughan Llewellyn Howells"), 0.4),
    Origin("south_asian", 22, _groups(
        "Mohammed/Muhammad/Mohammad/Mohamed Imran Asif/Aasif Tariq/Tarik Zahid Shahid/Shahed"
        " Kamran Naveed/Navid Adil/Adeel Faisal/Faysal Usman/Osman Amir/Aamir Bilal Sajid Waqar"
        " Arshad Rizwan Nadeem/Nadim Abdul Harpreet Gurpreet Sukhdev Rajesh Sanjay"
        " Shafiq/Shafique Azhar Raheel Ishaq/Ishaque Ahmed/Ahmad Iqbal/Ikbal Hussain/Hussein"),
        _groups(
        "Ayesha/Aisha/Aysha Fatima/Fatimah Sana Zainab/Zaynab Nadia Amina/Aminah Samina"
        " Rukhsana Shazia Saima Noor Hina Priya Simran Jaspreet Anjali Sobia Mariam/Maryam Iqra"
        " Hafsa"), _groups(
        "Khan Ali Hussain/Hussein/Husain Ahmed/Ahmad Iqbal/Ikbal Akhtar/Akhter"
        " Mahmood/Mehmood/Mahmud Rashid Shah Butt Raja Malik Chaudhry/Chaudhary/Choudhury/Chowdhury"
        " Qureshi/Kureshi Aslam Anwar Karim/Kareem Siddiqui/Siddiqi Patel Singh Sharma Mirza"
        " Javed/Javaid Yousaf/Yusuf/Yousuf Zaman Rehman/Rahman Miah/Mia Uddin Islam Hanif Sadiq"),
        0.6),
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
        _BRITISH_RARER, 0.3),
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

