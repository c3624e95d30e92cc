"""Schemathesis hooks for .ci/schemathesis: the rules JSON Schema cannot state.

The document states every rule JSON Schema can; three kinds of rule are beyond it, and the
document marks the first two so that these hooks can follow them:

- `format: cn-credit-code`: a credit code's last character is a check character (GB
  32100-2015, mod 31). Generated codes get a correct one, so a "valid" code is valid.
- `format: cn-id-number`: an ID number (GB 11643-1999) has a check character (mod 11) and
  a real birth date; a body's `gender` and `birth_date` must agree with it. Generated numbers
  are valid, and the other two fields are made to agree.
- `x-max-words: <n>`: a search's words (`q`) are at most n, split on white space. Generated
  positive values keep their first n words.
- `x-after: <field>` / `x-at-least: <field>`: a field compared with another one of the same
  body (`ends_at` after `starts_at`, `salary_max` at least `salary_min`). Generated pairs are
  put in order.
- A few fields are checked against stored rows or depend on who asks (an `organization_id`
  must name a school, a company or an invited organisation; coordinators must name one).
  A schema cannot know the database, so a 422 naming only such fields is rightly a 422 for a
  schema-valid body. `STORED_STATE` lists them per operation, each with its reason, and only
  `positive_data_acceptance` failures whose 422 names nothing else are dropped.

Only positive cases (data the schema calls valid) are changed; negative ones stay as drawn.
One more failure is dropped, where schemathesis itself is wrong: a `negative_data_rejection`
failure for a "negative" body that the document accepts after all (see
`body_is_valid_after_all`).
"""

import datetime
import json
import re

import jsonschema_rs
import schemathesis
from hypothesis import strategies as st

# GB 32100-2015: the alphabet (no I, O, S, V, Z) and the weights of the first 17 characters.
CREDIT_CODE_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
CREDIT_CODE_WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28]
CREDIT_CODE_SHAPE = "^[1-9A-GNY][0-9A-HJ-NP-RTUW-Y][0-9]{6}[0-9A-HJ-NP-RTUW-Y]{10}$"
CREDIT_CODE_FORMAT = "cn-credit-code"


def with_check_character(code: str) -> str:
    """`code` with its 18th character replaced by the check character of the first 17."""
    body = code[:17].upper()
    total = sum(CREDIT_CODE_ALPHABET.index(c) * w for c, w in zip(body, CREDIT_CODE_WEIGHTS))
    return code[:17] + CREDIT_CODE_ALPHABET[(31 - total % 31) % 31]


schemathesis.openapi.format(
    CREDIT_CODE_FORMAT, st.from_regex(CREDIT_CODE_SHAPE, fullmatch=True).map(with_check_character)
)

# GB 11643-1999: weights of the first 17 digits and the check character per remainder.
ID_NUMBER_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
ID_NUMBER_CHECK = "10X98765432"
ID_NUMBER_FORMAT = "cn-id-number"


def id_number(region: int, area: int, born: "datetime.date", sequence: int) -> str:
    body = f"{region}{area:05d}{born:%Y%m%d}{sequence:03d}"
    return body + ID_NUMBER_CHECK[sum(int(d) * w for d, w in zip(body, ID_NUMBER_WEIGHTS)) % 11]


schemathesis.openapi.format(
    ID_NUMBER_FORMAT,
    st.builds(
        id_number,
        st.integers(1, 8),
        st.integers(0, 99999),
        st.dates(datetime.date(1950, 1, 1), datetime.date(2010, 12, 31)),
        st.integers(0, 999),
    ),
)

# Fields a 422 may name for a schema-valid body, per operation, because their validity
# depends on stored rows or on the caller: the exception to `positive_data_acceptance`.
# A field is written as the server names it, with list positions as `[]`.
ORGANIZATION_OF_KIND = "must name an existing organisation of the right kind; coordinators must name one"
STORED_STATE = {
    "POST /api/v1/graduates": {"organization_id": ORGANIZATION_OF_KIND + " (a school)"},
    # A patch naming only one of them is checked against the stored ID number.
    "PATCH /api/v1/graduates/{id}": {
        "gender": "must agree with the ID number, which may be the stored one",
        "birth_date": "must agree with the ID number, which may be the stored one",
    },
    "POST /api/v1/projects": {"organization_id": ORGANIZATION_OF_KIND + " (a company)"},
    "POST /api/v1/postings": {
        "organization_id": ORGANIZATION_OF_KIND + " (a company)",
        "project_id": "must name a project of that company",
    },
    "PATCH /api/v1/postings/{id}": {
        "project_id": "must name a project of the posting's company",
        # A merge patch is checked merged over the stored posting: a bound may be compared
        # with the other bound as stored.
        "closes_on": "must be after starts_on, which may be the stored one",
        "salary_max": "must be at least salary_min, which may be the stored one",
    },
    "POST /api/v1/users": {
        "organization_id": "must name an existing organisation",
        "role": "must fit the kind of the organisation named, a stored row",
    },
    # Changing one's own password needs the current one: whether it is given is the
    # caller's business (an account's own id), whether it is right the stored hash's.
    "PATCH /api/v1/users/{id}": {"current_password": "must be the account's current password when changing your own"},
    "POST /api/v1/events": {"invited_organization_ids[]": "must name existing companies or schools"},
    "PATCH /api/v1/events/{id}": {
        "invited_organization_ids[]": "must name existing companies or schools",
        "ends_at": "must be after starts_at, which may be the stored one",
    },
    "PATCH /api/v1/organizations/{id}": {
        "credit_code": "is required for companies, and the kind is the stored one",
        # A merge patch is checked merged over the stored organisation.
        "status_reason": "is required to reject, and may be the stored one",
        "status": "only companies (the stored kind) are vetted; schools and service centres stay approved",
    },
    # What a registration needs depends on the kind of the organisation (a stored row):
    # companies name their open postings, schools the graduates and teacher they bring.
    "POST /api/v1/events/{id}/registrations": {
        "organization_id": "must name an invited company or school; coordinators must name one",
        "posting_ids": "companies must name postings; schools may not",
        "posting_ids[]": "must name open postings of the company",
        "graduates": "schools must give it; companies may not",
        "teacher_name": "schools must give it; companies may not",
        "teacher_phone": "companies may not give it",
    },
    "POST /api/v1/rounds": {
        "scope.event_id": "must name an existing event",
        "scope.exclude_matched_in_round": "must name an existing round with results",
        "scope.posting_ids[]": "must name existing postings",
        "scope.project_ids[]": "must name existing projects",
        "scope.school_ids[]": "must name existing schools",
        "scope.graduate_ids[]": "must name existing graduates",
    },
    "PUT /api/v1/graduates/{id}/choices": {"posting_ids[]": "must name open postings"},
    # A roster file: that its bytes are a spreadsheet, and what its rows hold, are beyond a
    # schema (`format: binary`). With mode=all_or_nothing, rows in error refuse the whole
    # file: the 422 names each row's field (or `file` for the file as a whole).
    "POST /api/v1/graduates/import": {
        "organization_id": ORGANIZATION_OF_KIND + " (a school)",
        "file": "must be a spreadsheet (.xlsx, .xls or .csv) with a header row",
        **{
            field: "a row's cell, with mode=all_or_nothing"
            for field in (
                "student_no", "name", "gender", "id_number", "birth_date", "class_name", "major", "education",
                "graduation_year", "phone", "email", "skills", "certificates", "preferred_locations",
                "expected_salary", "available_from", "consent", "status", "summary",
            )
        },
    },
    "PUT /api/v1/postings/{id}/shortlist": {"graduate_ids[]": "must name graduates the company may see"},
    "POST /api/v1/graduates/links": {"graduate_ids[]": "must name graduates on the caller's roster"},
    "POST /api/v1/duplicates/{id}/merge": {"keep": "must name one of the stored pair's two graduates"},
    # The deadline is checked against the clock when the request arrives.
    "POST /api/v1/rounds/{id}/publish": {"offers_due": "must be in the future"},
    # Declining needs a reason from the answering side's list: the caller's role decides
    # which (a company's reasons or the graduate's).
    "POST /api/v1/offers/{id}/answer": {"reason": "required when declining, from the answering side's list"},
}


@schemathesis.hook
def filter_failure(context, failure, case, response):
    """Keep every failure except the two kinds explained below."""
    if failure.code == "ST202":
        return not names_only_stored_state(case, response)
    if failure.code == "ST201":
        return not body_is_valid_after_all(case)
    if failure.code == "ST302" and case.operation.label in CODE_NOT_FOUND:
        return False
    return True


# Operations whose 404 names a value of the body, not the resource in the path: a check-in
# code that is no pass of this (existing) event.
CODE_NOT_FOUND = {"POST /api/v1/events/{id}/checkins"}


def names_only_stored_state(case, response) -> bool:
    """A 422 to positive data that names only fields of `STORED_STATE`."""
    if response.status_code != 422:
        return False
    allowed = STORED_STATE.get(case.operation.label, {})
    try:
        errors = json.loads(response.content)["errors"]
    except (ValueError, KeyError, TypeError):
        return False
    named = {re.sub(r"\[\d+\]", "[]", error["field"]) for error in errors}
    return bool(named) and named <= allowed.keys()


def body_is_valid_after_all(case) -> bool:
    """A "negative" case whose only negative part is a body the schema accepts.

    Schemathesis 4.32.5 sometimes loses its own mutation: it mutates the items of a list
    that may also be null and then draws null, and the body it sends is valid. The server
    rightly accepts it; the check's premise is false. Only such a body, re-validated here
    against the document, drops the failure: any truly invalid data accepted still fails.
    """
    meta = case.meta
    if meta is None:
        return False
    negative = {location.value for location, info in meta.components.items() if not info.mode.is_positive}
    if negative != {"body"}:
        return False
    raw = case.operation.schema.raw_schema
    method, path = case.operation.label.split(" ", 1)
    schema = request_body_schema(raw, method, path)
    return bool(schema) and jsonschema_rs.validator_for({**schema, "components": raw["components"]}).is_valid(
        case.body
    )


@schemathesis.hook
def map_case(context, case):
    """Give positive cases what the document marks but JSON Schema cannot state."""
    meta = case.meta
    if meta is None or not meta.generation.mode.is_positive:
        return case
    within_paging_depth(case.query)
    within_word_counts(case)
    ordered_report_span(case)
    if not isinstance(case.body, dict):
        return case
    rules = body_rules(case.operation)
    for name in rules.credit_codes:
        value = case.body.get(name)
        if isinstance(value, str) and re.match(CREDIT_CODE_SHAPE, value.upper()):
            case.body[name] = with_check_character(value)
    for name in rules.id_numbers:
        value = case.body.get(name)
        if isinstance(value, str) and re.match(r"^[0-9]{17}[0-9X]$", value.upper()):
            case.body[name] = value = valid_id_number(value)
            agree_with_id_number(case.body, value)
    for name, (other, strict) in rules.bounds.items():
        order(case.body, other, name, strict)
    return case


def valid_id_number(number):
    """`number` with a real birth date (a day the pattern allows may not exist) and its check character."""
    try:
        born = datetime.date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
        if not (1900 <= born.year and born <= datetime.date.today()):
            raise ValueError
    except ValueError:
        born = datetime.date(2000, 1, 1)
    region = int(number[0]) if number[0] in "12345678" else 4
    return id_number(region, int(number[1:6]), born, int(number[14:17]))


# A list pages through its first MAX_DEPTH results only (`page × per_page`, src/store/page.rs),
# a rule across two parameters that each parameter's description states.
MAX_DEPTH = 10_000
DEFAULT_PER_PAGE = 20


def ordered_report_span(case):
    """The fill report's `to` may not be before its `from` (a 422 naming `to`)."""
    query = case.query
    if case.operation.label != "GET /api/v1/reports/fill" or not isinstance(query, dict):
        return
    lower, upper = query.get("from"), query.get("to")
    if isinstance(lower, str) and isinstance(upper, str) and lower and upper and upper < lower:
        query["from"], query["to"] = upper, lower


def within_word_counts(case):
    """Keep each drawn query text within the words its `x-max-words` allows."""
    query = case.query
    if not isinstance(query, dict):
        return
    raw = case.operation.schema.raw_schema
    method, path = case.operation.label.split(" ", 1)
    for parameter in raw["paths"].get(path, {}).get(method.lower(), {}).get("parameters", []):
        limit = parameter.get("schema", {}).get("x-max-words")
        value = query.get(parameter.get("name"))
        if parameter.get("in") == "query" and isinstance(limit, int) and isinstance(value, str):
            words = value.split()
            if len(words) > limit:
                query[parameter["name"]] = " ".join(words[:limit])


def within_paging_depth(query):
    """Bring a drawn `page` within the depth its `per_page` allows."""
    if not isinstance(query, dict):
        return
    page, per_page = query.get("page"), query.get("per_page", DEFAULT_PER_PAGE)
    try:
        page, per_page = int(page), int(per_page or DEFAULT_PER_PAGE)
    except (TypeError, ValueError):
        return
    if per_page > 0 and page * per_page > MAX_DEPTH:
        query["page"] = max(1, MAX_DEPTH // per_page)


def agree_with_id_number(body, number):
    """Make a body's `gender` and `birth_date` say what its ID number says."""
    if "gender" in body and body["gender"] is not None:
        body["gender"] = "male" if int(number[16]) % 2 == 1 else "female"
    if "birth_date" in body and body["birth_date"] is not None:
        body["birth_date"] = f"{number[6:10]}-{number[10:12]}-{number[12:14]}"


class Rules:
    def __init__(self):
        self.credit_codes = set()
        self.id_numbers = set()
        # field -> (the field it is compared with, whether it must be strictly greater)
        self.bounds = {}


_rules = {}


def body_rules(operation) -> Rules:
    """The marked properties of an operation's JSON body (including every alternative)."""
    label = operation.label
    if label not in _rules:
        raw = operation.schema.raw_schema
        method, path = label.split(" ", 1)
        rules = Rules()
        collect(raw, request_body_schema(raw, method, path), rules)
        _rules[label] = rules
    return _rules[label]


def request_body_schema(raw, method, path):
    """The JSON schema of an operation's request body, or {} if it takes none."""
    body = raw["paths"].get(path, {}).get(method.lower(), {}).get("requestBody", {})
    return body.get("content", {}).get("application/json", {}).get("schema", {})


def resolve(raw, schema):
    while isinstance(schema, dict) and "$ref" in schema:
        node = raw
        for part in schema["$ref"].lstrip("#/").split("/"):
            node = node[part]
        schema = node
    return schema


def collect(raw, schema, rules):
    schema = resolve(raw, schema)
    if not isinstance(schema, dict):
        return
    for key in ("allOf", "anyOf", "oneOf"):
        for part in schema.get(key, []):
            collect(raw, part, rules)
    for name, prop in schema.get("properties", {}).items():
        prop = resolve(raw, prop)
        if prop.get("format") == CREDIT_CODE_FORMAT:
            rules.credit_codes.add(name)
        if prop.get("format") == ID_NUMBER_FORMAT:
            rules.id_numbers.add(name)
        if "x-after" in prop:
            rules.bounds[name] = (prop["x-after"], True)
        if "x-at-least" in prop:
            rules.bounds[name] = (prop["x-at-least"], False)


# Dates and times as the server reads them: a time without an offset is Asia/Shanghai.
MOMENT = re.compile(
    r"^(\d{4})-(\d{2})-(\d{2})(?:[Tt ](\d{2}):(\d{2})(?::(\d{2})(\.\d+)?)?([Zz]|[+-]\d{2}:\d{2})?)?$"
)
SHANGHAI = 8 * 3600


def days_from_civil(y, m, d):
    """Days since 1970-01-01 of a proleptic Gregorian date (year 0 included)."""
    y -= m <= 2
    era = y // 400
    yoe = y - era * 400
    doy = (153 * (m + (-3 if m > 2 else 9)) + 2) // 5 + d - 1
    doe = yoe * 365 + yoe // 4 - yoe // 100 + doy
    return era * 146097 + doe - 719468


def sort_key(value):
    """A comparable key for a number, a date or a date-time; None for anything else."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return value
    match = isinstance(value, str) and MOMENT.match(value)
    if not match:
        return None
    y, mo, d, h, mi, s, frac, zone = match.groups()
    seconds = days_from_civil(int(y), int(mo), int(d)) * 86400
    seconds += int(h or 0) * 3600 + int(mi or 0) * 60 + int(s or 0) + float(frac or 0)
    if h is not None:
        if zone is None:
            seconds -= SHANGHAI
        elif zone not in "Zz":
            sign = 1 if zone[0] == "+" else -1
            seconds -= sign * (int(zone[1:3]) * 3600 + int(zone[4:6]) * 60)
    return seconds


# A pair in order for each kind of value, for when two drawn values are equal.
ORDERED_PAIRS = {
    "date": ("2026-03-01", "2026-06-30"),
    "date-time": ("2026-12-10T09:00", "2026-12-10T17:00"),
}


def order(body, lower, upper, strict):
    """Put `body[lower]` and `body[upper]` in order when both are given."""
    low, high = body.get(lower), body.get(upper)
    low_key, high_key = sort_key(low), sort_key(high)
    if low_key is None or high_key is None:
        return
    if high_key > low_key or (high_key == low_key and not strict):
        return
    if high_key < low_key:
        body[lower], body[upper] = high, low
    elif isinstance(high, str):
        # Equal, and it must be strictly after.
        body[lower], body[upper] = ORDERED_PAIRS["date" if len(high) == 10 else "date-time"]
