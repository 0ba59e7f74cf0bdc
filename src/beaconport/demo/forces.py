"""The 43 territorial forces of England and Wales (domain brief §7.1), plus Police Scotland.

The demo keeps its own small table rather than reading the reference data: it needs cosmetic facts
the reference data rightly does not hold (towns, postcode areas, the shape of each force's own
references), and the ground truth must not depend on the code it is used to check.
"""

from __future__ import annotations

from dataclasses import dataclass

SCOTLAND = "police-scotland"
BTP = "btp"
NORTHERN_IRELAND = "northern-ireland"


@dataclass(frozen=True, slots=True)
class Town:
    name: str
    area: str  # postcode area, e.g. "LS"
    low: int  # districts used: LS<low> … LS<high>
    high: int


@dataclass(frozen=True, slots=True)
class Force:
    code: str
    official: str | None  # None where §7.1's official name carries a parenthesis: not an alias
    short: str
    abbreviation: str | None  # only MPS, GMP, WYP, SYP, WMP, TVP may be written as the force
    prefix: str  # how the force abbreviates itself inside its own references
    weight: float  # rough population in 100,000s: bigger forces refer more cases
    towns: tuple[Town, ...]
    phone: str  # an Ofcom drama-range prefix, so no generated number reaches a real line
    slug: str  # data.police.uk id, used for fictional e-mail domains under .example


def _towns(spec: str) -> tuple[Town, ...]:
    towns = []
    for item in spec.split(","):
        name, area, span = item.split(":")
        low, high = span.split("-")
        towns.append(Town(name, area, int(low), int(high)))
    return tuple(towns)


# Ofcom reserves these ranges for drama; 01632 960 has no geography and covers the rest.
_GENERIC_PHONE = "01632 960"

# code, official name (or "" when not usable), short name, abbreviation alias, prefix, weight,
# towns "Name:AREA:low-high", phone prefix, data.police.uk id
_ROWS: tuple[tuple[str, str, str, str, str, float, str, str, str], ...] = (
    ("E23000036", "Avon and Somerset Constabulary", "Avon and Somerset", "", "ASC", 17,
     "Bristol:BS:1-16,Bath:BA:1-2,Taunton:TA:1-3,Weston-super-Mare:BS:22-24", "0117 496 0",
     "avon-and-somerset"),
    ("E23000026", "Bedfordshire Police", "Bedfordshire", "", "BEDS", 7,
     "Luton:LU:1-4,Bedford:MK:40-45", "", "bedfordshire"),
    ("E23000023", "Cambridgeshire Constabulary", "Cambridgeshire", "", "CAMBS", 9,
     "Peterborough:PE:1-4,Cambridge:CB:1-5,Wisbech:PE:13-14", "", "cambridgeshire"),
    ("E23000006", "Cheshire Constabulary", "Cheshire", "", "CHES", 11,
     "Warrington:WA:1-5,Crewe:CW:1-2,Chester:CH:1-4", "", "cheshire"),
    ("E23000034", "City of London Police", "London, City of", "", "COLP", 1,
     "London:EC:1-4", "020 7946 0", "city-of-london"),
    ("E23000013", "Cleveland Police", "Cleveland", "", "CLEV", 6,
     "Middlesbrough:TS:1-8,Hartlepool:TS:24-27,Stockton-on-Tees:TS:16-21", "", "cleveland"),
    ("E23000002", "Cumbria Constabulary", "Cumbria", "", "CUMB", 5,
     "Carlisle:CA:1-3,Barrow-in-Furness:LA:13-14,Workington:CA:14-14", "", "cumbria"),
    ("E23000018", "Derbyshire Constabulary", "Derbyshire", "", "DERBY", 11,
     "Derby:DE:1-24,Chesterfield:S:40-45", "", "derbyshire"),
    ("E23000035", "Devon and Cornwall Police", "Devon & Cornwall", "", "DC", 18,
     "Plymouth:PL:1-9,Exeter:EX:1-4,Torquay:TQ:1-2,Truro:TR:1-1", "", "devon-and-cornwall"),
    ("E23000039", "Dorset Police", "Dorset", "", "DOR", 8,
     "Bournemouth:BH:1-11,Poole:BH:12-17,Weymouth:DT:3-4", "", "dorset"),
    ("E23000008", "Durham Constabulary", "Durham", "", "DUR", 6,
     "Durham:DH:1-1,Darlington:DL:1-3,Peterlee:SR:8-8", "", "durham"),
    ("W15000004", "", "Dyfed-Powys", "", "DPP", 5,
     "Llanelli:SA:14-15,Carmarthen:SA:31-33,Aberystwyth:SY:23-25,Newtown:SY:16-16", "",
     "dyfed-powys"),
    ("E23000028", "Essex Police", "Essex", "", "ESX", 18,
     "Southend-on-Sea:SS:1-3,Chelmsford:CM:1-3,Colchester:CO:1-4,Basildon:SS:13-16", "", "essex"),
    ("E23000037", "Gloucestershire Constabulary", "Gloucestershire", "", "GLOS", 6,
     "Gloucester:GL:1-4,Cheltenham:GL:50-53", "", "gloucestershire"),
    ("E23000005", "Greater Manchester Police", "Greater Manchester", "GMP", "GMP", 29,
     "Manchester:M:1-40,Oldham:OL:1-9,Rochdale:OL:11-16,Bolton:BL:1-3,Wigan:WN:1-6,Stockport:SK:1-7",
     "0161 496 0", "greater-manchester"),
    ("W15000002", "", "Gwent", "", "GWENT", 6, "Newport:NP:10-20,Cwmbran:NP:44-44", "", "gwent"),
    ("E23000030", "", "Hampshire", "", "HC", 20,
     "Southampton:SO:14-19,Portsmouth:PO:1-6,Basingstoke:RG:21-24", "", "hampshire"),
    ("E23000027", "Hertfordshire Constabulary", "Hertfordshire", "", "HERTS", 12,
     "Watford:WD:17-19,Stevenage:SG:1-2,Hemel Hempstead:HP:1-3", "", "hertfordshire"),
    ("E23000012", "Humberside Police", "Humberside", "", "HUM", 9,
     "Hull:HU:1-9,Grimsby:DN:31-34,Scunthorpe:DN:15-17", "", "humberside"),
    ("E23000032", "Kent Police", "Kent", "", "KENT", 19,
     "Maidstone:ME:14-16,Chatham:ME:4-5,Canterbury:CT:1-2,Dartford:DA:1-2,Margate:CT:9-9", "",
     "kent"),
    ("E23000003", "Lancashire Constabulary", "Lancashire", "", "LANCS", 15,
     "Blackburn:BB:1-2,Preston:PR:1-2,Blackpool:FY:1-4,Burnley:BB:10-12", "", "lancashire"),
    ("E23000021", "Leicestershire Police", "Leicestershire", "", "LEICS", 11,
     "Leicester:LE:1-5,Loughborough:LE:11-11", "0116 496 0", "leicestershire"),
    ("E23000020", "Lincolnshire Police", "Lincolnshire", "", "LINCS", 8,
     "Lincoln:LN:1-6,Boston:PE:20-22,Grantham:NG:31-32", "", "lincolnshire"),
    ("E23000004", "Merseyside Police", "Merseyside", "", "MERPOL", 14,
     "Liverpool:L:1-36,Birkenhead:CH:41-43,St Helens:WA:9-11", "0151 496 0", "merseyside"),
    ("E23000001", "Metropolitan Police Service", "Metropolitan Police", "MPS", "MPS", 88,
     "London:E:1-18,London:N:1-22,London:SE:1-28,London:SW:1-20,London:NW:1-11,Ilford:IG:1-6,"
     "Croydon:CR:0-7,Romford:RM:1-7", "020 7946 0", "metropolitan"),
    ("E23000024", "Norfolk Constabulary", "Norfolk", "", "NORF", 9,
     "Norwich:NR:1-7,Great Yarmouth:NR:29-31,King's Lynn:PE:30-34", "", "norfolk"),
    ("W15000001", "", "North Wales", "", "NWP", 7,
     "Wrexham:LL:11-14,Rhyl:LL:18-18,Bangor:LL:57-57", "", "north-wales"),
    ("E23000009", "North Yorkshire Police", "North Yorkshire", "", "NYP", 8,
     "York:YO:1-32,Scarborough:YO:11-13,Harrogate:HG:1-3", "", "north-yorkshire"),
    ("E23000022", "Northamptonshire Police", "Northamptonshire", "", "NHANTS", 8,
     "Northampton:NN:1-5,Corby:NN:17-18,Kettering:NN:14-16", "", "northamptonshire"),
    ("E23000007", "Northumbria Police", "Northumbria", "", "NORTHUM", 15,
     "Newcastle upon Tyne:NE:1-15,Sunderland:SR:1-6,Gateshead:NE:8-11", "0191 498 0",
     "northumbria"),
    ("E23000019", "Nottinghamshire Police", "Nottinghamshire", "", "NOTTS", 12,
     "Nottingham:NG:1-11,Mansfield:NG:18-21", "0115 496 0", "nottinghamshire"),
    ("W15000003", "", "South Wales", "", "SWP", 13,
     "Cardiff:CF:5-24,Swansea:SA:1-6,Merthyr Tydfil:CF:47-48", "029 2018 0", "south-wales"),
    ("E23000011", "South Yorkshire Police", "South Yorkshire", "SYP", "SYP", 14,
     "Sheffield:S:1-14,Rotherham:S:60-66,Doncaster:DN:1-5,Barnsley:S:70-75", "0114 496 0",
     "south-yorkshire"),
    ("E23000015", "Staffordshire Police", "Staffordshire", "", "STAFFS", 11,
     "Stoke-on-Trent:ST:1-6,Stafford:ST:16-18,Burton upon Trent:DE:13-15", "", "staffordshire"),
    ("E23000025", "Suffolk Constabulary", "Suffolk", "", "SUFF", 8,
     "Ipswich:IP:1-4,Lowestoft:NR:32-33", "", "suffolk"),
    ("E23000031", "Surrey Police", "Surrey", "", "SURREY", 12,
     "Guildford:GU:1-5,Woking:GU:21-24,Redhill:RH:1-1", "", "surrey"),
    ("E23000033", "Sussex Police", "Sussex", "", "SUSSEX", 17,
     "Brighton:BN:1-2,Crawley:RH:10-11,Hastings:TN:34-35,Eastbourne:BN:20-23", "", "sussex"),
    ("E23000029", "Thames Valley Police", "Thames Valley", "TVP", "TVP", 25,
     "Oxford:OX:1-4,Reading:RG:1-6,Slough:SL:1-3,Milton Keynes:MK:1-19,High Wycombe:HP:10-14",
     "0118 496 0", "thames-valley"),
    ("E23000017", "Warwickshire Police", "Warwickshire", "", "WARKS", 6,
     "Nuneaton:CV:10-11,Rugby:CV:21-23", "", "warwickshire"),
    ("E23000016", "West Mercia Police", "West Mercia", "", "WMERC", 13,
     "Telford:TF:1-7,Worcester:WR:1-5,Shrewsbury:SY:1-5,Hereford:HR:1-4", "", "west-mercia"),
    ("E23000014", "West Midlands Police", "West Midlands", "WMP", "WMP", 29,
     "Birmingham:B:1-45,Wolverhampton:WV:1-14,Coventry:CV:1-6,Walsall:WS:1-9,Dudley:DY:1-3",
     "0121 496 0", "west-midlands"),
    ("E23000010", "West Yorkshire Police", "West Yorkshire", "WYP", "WYP", 23,
     "Leeds:LS:1-28,Bradford:BD:1-15,Halifax:HX:1-7,Huddersfield:HD:1-9,Dewsbury:WF:12-13,"
     "Keighley:BD:20-22,Wakefield:WF:1-4", "0113 496 0", "west-yorkshire"),
    ("E23000038", "Wiltshire Police", "Wiltshire", "", "WILTS", 7,
     "Swindon:SN:1-5,Salisbury:SP:1-2,Chippenham:SN:14-15", "", "wiltshire"),
)

TERRITORIAL: tuple[Force, ...] = tuple(
    Force(code, official or None, short, abbreviation or None, prefix, weight, _towns(towns),
          phone or _GENERIC_PHONE, slug)
    for code, official, short, abbreviation, prefix, weight, towns, phone, slug in _ROWS
)

# Out of scope for Beaconport; a handful of referrals come from it so screening has something
# to reject on force_in_scope. Its code is its data.police.uk-style id: it has no ONS PFA code.
POLICE_SCOTLAND = Force(SCOTLAND, "Police Scotland", "Police Scotland", None, "PS", 0,
                        _towns("Glasgow:G:1-53,Edinburgh:EH:1-17,Dundee:DD:1-5"), "0141 496 0",
                        SCOTLAND)

BY_CODE: dict[str, Force] = {f.code: f for f in (*TERRITORIAL, POLICE_SCOTLAND)}

IN_SCOPE: frozenset[str] = frozenset({*(f.code for f in TERRITORIAL), BTP})
OUT_OF_SCOPE: frozenset[str] = frozenset({SCOTLAND, NORTHERN_IRELAND})


def _alias_table() -> dict[str, str]:
    table: dict[str, str] = {}
    for force in (*TERRITORIAL, POLICE_SCOTLAND):
        for name in (force.code, force.official, force.short, force.abbreviation, force.slug):
            if name:
                table[name.casefold()] = force.code
    extra = {
        "British Transport Police": BTP, "BTP": BTP,
        "Police Service of Northern Ireland": NORTHERN_IRELAND, "PSNI": NORTHERN_IRELAND,
        NORTHERN_IRELAND: NORTHERN_IRELAND,
    }
    table.update({name.casefold(): code for name, code in extra.items()})
    return table


_ALIASES = _alias_table()


def canonical_force(name: str) -> str | None:
    """The force's canonical code (ONS code, or ``btp`` / ``police-scotland``), if recognised."""
    return _ALIASES.get(" ".join(name.split()).casefold())


def written_names(force: Force) -> tuple[str, ...]:
    """The ways the demo may write this force in a referral, besides its code."""
    return tuple(n for n in (force.official, force.short, force.abbreviation) if n)
