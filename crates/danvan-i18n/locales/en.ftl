# danvan's message catalogue: English.
#
# One message per ID, the same IDs and arguments in vi.ftl and en.ftl (the tests of
# crates/danvan-i18n check it). Syntax: https://projectfluent.org/fluent/guide/

## The web app's words (crates/danvan-http/src/web/templates, web/*.rs).

sign-in = Sign in
read-a-text = Read a text
written = Written:
already-recorded = already recorded
read-another-text = Read another text
nothing-was-written = Nothing was written.
each-value-is-shown-with-the = Each value is shown with the words it stands on, highlighted in the text; a value worked out rather than read says from what. Correct a value in its box, fill in what the text does not say, tick what to write.
the-text = The text
sentences-nothing-was-taken-from = Sentences nothing was taken from
proposed-records = Proposed records
the-text-states-no-record-danvan = The text states no record danvan can read.
directive = Directive
figure = Figure
model = Model
commendation = Commendation
record = Record
already-recorded-2 = Already recorded:
write-this-record = Write this record
inferred = inferred:
the-text-does-not-say-fill = The text does not say; fill it in to write this record.
write-the-ticked-records = Write the ticked records
the-text-of-an-article-a = The text of an article, a report or a decision
nothing-is-written-until-you-choose = Nothing is written until you choose what to write.
address-of-the-article-optional = Address of the article (optional)
the-site-names-the-province-when = The site names the province when the text does not.
day-published-optional = Day published (optional)
the-year-of-a-day-written = The year of a day written without one (“Chiều 14/3”) is taken from it.
read-the-text = Read the text
sign-out = Sign out
access-token = Access token
login = Login
users = Users
waiting-for-approval = Waiting for approval
enter-the-figures = Enter the figures
the-signed-original = The signed original
download = Download
no-signed-original-is-attached-yet = No signed original is attached yet.
the-signed-report-pdf-or-docx = The signed report (PDF or DOCX)
attach = Attach
numerator = Numerator
denominator = Denominator
save-the-figures = Save the figures
sent = Sent
late = late
sent-again-after-a-return = sent again after a return
the-people-who-sign-in-to = The people who sign in to the board's web app: the board's own, and its units'. A unit's user sees and sends only the unit's reports; approvers, leaders and administrators of the board return and approve them.
add-a-user = Add a user
lowercase-letters-without-diacritics-digits-dots = Lowercase letters without diacritics, digits, dots and dashes: dinh-hoa.nhaplieu
full-name = Full name
role = Role
seat = Seat
first-password = First password
at-least-10-characters-give-it = At least 10 characters. Give it to the person in person; they can sign in at once.
add = Add
users-of-the-board-and-its = Users of the board and its units
no-user-yet = No user yet.
may-sign-in = may sign in
disabled = disabled
sign-in-2 = Sign-in
new-password-leave-empty-to-keep = New password (leave empty to keep)
password = Password
sign-in-with-an-access-token = Sign in with an access token
sign-in-with-the-token = Sign in with the token
the-login-or-the-password-is = The login or the password is wrong.
the-token-your-administrator-gave-you = The token your administrator gave you (danvan token new).
that-token-is-not-known-to = That token is not known to this server.
dashboard = Dashboard
conferences = Conferences
directives = Directives
models = Models
indicators = Indicators
observations = Observations
reporting-units = Reporting units
commendations = Commendations
forms = Forms
targets = Targets
reports-owed = Reports owed
the-units-figures = The unit's figures
indicator = Indicator
this-period = This period
previous-period = Previous period
the-period-is-not-over-no = The period is not over: no province is counted as not having sent.
reporting-unit = Reporting unit
standing = Standing
due = Due
report = Report
approved = approved
open = Open
begin = Begin
no-report-is-owed-for-this = No report is owed for this period: no form applies to it.
send-return-approve = Send, return, approve
step = Step
send-to-the-board = Send to the board
return-to-the-unit = Return to the unit
approve = Approve
unlock = Unlock
why-needed-to-return-or-unlock = Why (needed to return or unlock; explains warnings sent)
not-saved = Not saved
submissions = Submissions
reports = Reports
whole-country = Whole country
reviews-overdue = Reviews overdue
reviews-due = Reviews due
latest-conferences = Latest conferences
indicators-against-target = Indicators against target
completeness = Completeness
indicators-with-no-figure-yet = Indicators with no figure yet
provinces-that-have-sent-nothing = Provinces that have sent nothing
every-indicator-has-a-figure = Every indicator has a figure.
every-province-has-sent-figures = Every province has sent figures.
none = None.
days-late = days late
days-left = days left
due-2 = due
search = Search
search-diacritics-optional = Search (diacritics optional)
province = Province
all = All
period = Period
filter = Filter
new = New
edit = Edit
save = Save
cancel = Cancel
id = ID
title = Title
date = Date
records = records
next-page = Next page
no-records-match = No records match.
history = History
revision = Revision
when = When
who = Who
why = Why
changes = Changes
created = created
updated = updated
deleted = deleted
the-record-as-stored-json = The record as stored (JSON)
reason-for-the-change-optional = Reason for the change (optional)
please-correct-the-problems-marked-below = Please correct the problems marked below; nothing was saved.
someone-changed-this-record-while-you = Someone changed this record while you were editing it. What changed:
your-form-is-shown-again-with = Your form is shown again with your values; save again to keep them.
saved = Saved.
read-only = Read only
e-g = e.g.
language = Language
scope = Scope
preview = Preview
show = Show
report-preview = Report preview
value = Value
target = Target
against-targets = Figures against targets
targets-met = targets met
targets-without-a-figure = targets without a figure
details = Details
met = Met
not-met = Not met
not-judged = Cannot be judged
no-figure = No figure yet
no-targets-set = No target applies to this year; the board sets targets on the page
status = Status
trend = Trend
not-allowed = Not allowed
not-found = Not found
back-to-the-dashboard = Back to the dashboard
signed-in-as = Signed in as
skip-to-content = Skip to content
import = Import
reviews = Reviews
held = held
record-it-as-held = Record it as held
held-on-a-day-or-the = Held on (a day, or the month, quarter or half-year)
held-by = Held by
the-source-gives-no-date = The source gives no date
date-not-known = date not known
what-the-review-found-one-per = What the review found (one per line)
at-the-conference-its-id = At the conference (its ID)
the-document-that-records-it = The document that records it
where-it-was-published-address = Where it was published (address)
conference = Conference
imported = Imported
unchanged = unchanged
import-another-file = Import another file
records-outside-your-provinces-are-unchanged = records outside your provinces are unchanged and left as they are.
nothing-was-imported-correct-these-in = Nothing was imported. Correct these in the file and upload it again:
dry-run = Dry run
records-would-be-written = records would be written
warnings = Warnings
where = Where
action = Action
import-these-records = Import these records
a-csv-file-or-a-workbook = A CSV file or a workbook (.xlsx, .xls, .ods)
headers-in-vietnamese-or-english-as = Headers in Vietnamese or English, as danvan export writes them; a workbook has a sheet per kind.
kind-of-record-for-a-csv = Kind of record (for a CSV file not named after its kind)
from-the-files-name = From the file's name
check-the-file = Check the file
user-role-missing = Choose the role.
user-seat-missing = Choose the seat.

## Counts.

late-by-days = { $count ->
    [one] { $count } day late
   *[other] { $count } days late
}

## The CLI: how an error is shown.

cli-error = error:
cli-hint = hint:
problem-error = error
problem-warning = warning

## Kinds of record, as a sentence names them.

kind-directive = directive
kind-conference = conference
kind-model = model
kind-indicator = indicator
kind-observation = observation
kind-unit = unit
kind-award = award
kind-target = target
kind-form = form
kind-submission = submission

## The store's refusals (danvan_store::StoreError).

store-not-a-store = no danvan store at { $at }: create one first
store-already-exists = { $at } already holds a danvan store
store-newer-format = the store at { $at } has format version { $found }, newer than this danvan supports ({ $supported }): upgrade danvan
store-locked = the store at { $at } is locked by another process (waited { $waited } ms): try again when it finishes
store-not-found = no { $kind } with ID { $id }
store-record-exists = { $record } already exists (revision { $revision }): change it instead, or give the new record another ID
store-conflict = { $record } is at revision { $actual }, not { $expected }: it was changed by someone else; read it again and reapply your change
store-conflict-deleted = { $record } was deleted while you changed revision { $expected }: read the store again and redo your change
store-invalid = the write was refused:
store-referenced = { $record } is referred to by { $by }: delete those first, or cascade
store-pruned = the change feed holds changes from revision { $oldest } on; changes after { $after } were pruned: read the store again (an export) and follow the feed from its revision
store-feed-ahead = the change feed ends at revision { $latest }; position { $after } is beyond it (from another store, or this store was restored from an older copy): read the store again (an export) and follow the feed from its revision
store-user-exists = a user `{ $login }` already exists
store-user-missing = there is no user `{ $login }`
store-database = database { $at }: { $message }
store-forbidden = `{ $actor }` writes the records of { $allowed }; { $why }
store-timeout = the store did not answer within { $seconds } s: try again in a few minutes
server-fault = the server failed while answering this request; it was logged for the administrator: please try again
could-not-be-done = Could not be done
read-only-sign-in = This sign-in may read records but not change them.
csrf-missing = The form did not carry this session's security token (CSRF); reload the page and try again.
import-file-kinds = the web app imports .csv and .xlsx (also .ods) files
ingest-paste-text-first = Paste the text of an article or a report first.
unreadable-page-address = The page's address holds a parameter the page cannot read; open the page again from the menu
reports-of-own-provinces-only = This sign-in makes reports of its own provinces only.
whose-central = no province (a central record)
whose-merged = { $recorded } (now part of { $current })
refusal-record = { $record } is of { $whose }
refusal-reference = { $record } would refer in { $field } to { $target }, which is of { $whose }
refusal-unit = { $record } is not a report or figure of unit { $unit }, the only records its user writes
refusal-own-report = { $record } is unit { $unit }'s own report: its user sends it; the board returns, approves and unlocks it

hint-not-a-store = pass --store DIR or set DANVAN_STORE to use another store; `danvan init --demo` creates one with demo data
hint-corrupt = fix the file at that position (or restore it), then run `danvan repair` to accept the edit; nothing was written
hint-damaged-database = a row was changed outside danvan: restore it from the database's backups (or write the record again through danvan) and open the store again; nothing was written
hint-damaged = restore the file from a backup, or run `danvan repair --dry-run` to see what repair would keep and what is lost; nothing was written
hint-referenced = pass --cascade to detach the records that refer to it
hint-database = check that the database server is running and that the URL's host, port, user, password and database are right; nothing was written

## The web app's pages that say something is not there.

sign-in-form-expired = The form expired; sign in again.
page-not-found = No such page.
record-not-found = No such record.
review-not-found = No such review.
no-such-record = There is no { $kind } { $id }.
unknown-step = No such step.
submission-not-found = No such report.

## The CLI's record commands (add, show, list, update, delete).

hint-list-ids = `danvan { $kind } list` shows the IDs there are
hint-set-field = set it with --{ $flag }, e.g. --{ $flag } { $example }
hint-add-help = `danvan { $kind } add --help` lists the fields to give
hint-action-help = `danvan { $kind } { $action } --help` lists every field with an example
wrote-added = Added { $record } (revision { $revision })
wrote-updated = Updated { $record } (revision { $revision })
wrote-deleted = Deleted { $record } (revision { $revision })
wrote-detached = Detached { $record } (revision { $revision })
wrote-nothing = No change: the record already holds that (revision { $revision })
given-problems = { $count ->
    [one] 1 problem
   *[other] { $count } problems
} in what was given; nothing was written:
nothing-to-add = nothing to add
hint-nothing-to-add = give the fields as flags (`danvan { $kind } add --help` lists them), --from FILE (the record in JSON), or --set field=value
record-exists-nothing-written = { $record } already exists (revision { $revision }); nothing was written
hint-record-exists = change it with `danvan { $kind } update { $id } --set FIELD=VALUE` (or `edit { $id }`), or give the new record another --id
show-builtin = { $record } (built in: every store has it; adding one with this ID overrides it)
show-revision = { $record } (revision { $revision })

## danvan due: reviews overdue or falling due.

due-summary = Reviews as of { $as_of }, looking to { $until }: { $overdue } overdue, { $soon } falling due
due-overdue = overdue
due-soon = due
due-in-days = { $count ->
    [one] in 1 day
   *[other] in { $count } days
}
due-span-too-long = the look-ahead span is too long
central = Trung ương

## A command line that cannot be read (clap's errors).

usage-unknown-argument = unexpected argument { $arg }
usage-unknown-command = unrecognised command { $command }
usage-did-you-mean = did you mean { $suggestion }?
usage-invalid-value = invalid value “{ $value }” for { $arg }
usage-allowed-values = possible values: { $values }
usage-missing = the following required arguments were not provided: { $args }
usage-conflict = { $arg } cannot be used with { $other }
usage-values-count = { $arg } takes a different number of values than were given
usage-line = Usage:
usage-more = For more information, try --help.

## Lists of records (danvan <kind> list).

kinds-directive = directives
kinds-conference = conferences
kinds-model = models
kinds-indicator = indicators
kinds-observation = observations
kinds-unit = units
kinds-award = awards
kinds-target = targets
kinds-form = forms
kinds-submission = submissions
list-count = { $shown } of { $total } { $kinds }
list-count-builtin = { $shown } of { $total } { $kinds } stored, and { $builtin } built in (every store has them)
list-more = more: --cursor { $cursor }
built-in = built in
inferred-mark = inferred
nationwide = nationwide

## A record's card (danvan <kind> show).

review-due = due { $period }
review-held-on = held on { $on } ({ $by })
review-held = held (day not known)
review-not-held = not held yet

## Imports (danvan import, the web app's import page).

import-problems = { $count ->
    [one] 1 problem
   *[other] { $count } problems
} in { $file }; nothing was imported
import-same-record = { $first } and { $second } are one record ({ $record }): give each record one row — merge the two rows, or give each its own ID
import-checking = checking and writing { $count ->
    [one] 1 record
   *[other] { $count } records
}
import-what = { $created } created, { $updated } updated, { $unchanged } unchanged
import-refused = Nothing was imported: { $errors ->
    [one] 1 error
   *[other] { $errors } errors
} in { $count ->
    [one] 1 record
   *[other] { $count } records
}
import-dry-run = Dry run: { $count ->
    [one] 1 record
   *[other] { $count } records
} would be imported ({ $what }); nothing was written
import-done = Imported { $count ->
    [one] 1 record
   *[other] { $count } records
} ({ $what }), store revision { $revision }
plan-create = create
plan-update = update
plan-unchanged = unchanged
plan-more = … and { $count } more (--json lists every record created or updated)
template-written = Wrote a template for { $kinds } to { $file }: fill in a row each (choose from the lists where a cell offers one), then `danvan import { $file }`
import-template = Import template (Excel)
import-template-help = An Excel file with the column headers, drop-down lists for the province, the indicator, the unit's level…, an example row and how to fill it. Leave the ID column empty and danvan makes the IDs.
import-template-kind = Kind of record
import-template-download = Download the template

## A record's history in words: fields that no form shows, and values (web/history.rs).

value-yes = yes
value-no = no
field-id = ID
field-form = Form
field-form_revision = Form revision
field-state = State
field-steps = Steps
field-action = Step
field-at = At
field-by = By
field-reason = Reason
field-original = Signed original
field-file_name = File name
field-media_type = File type
field-sha256 = SHA-256
field-asked = What is asked
field-indicators = Indicators
field-sections = Written sections
field-figures = Figures
field-key = Section key
field-title = Title
field-text = Text
field-optional = Optional
field-unit = Unit
field-period = Period
field-province = Province
field-level = Level
field-name = Name
field-position = Position
field-connection_points = connection points
field-mode = Mode
field-start_year = Start year
field-end_year = End year
field-due = Due
field-kind = Kind
field-label = Review
field-held = Held
field-on = On
field-document = Document
field-doc_type = Document type
field-number = Number
field-issued_on = Issued on
field-issuer = Issuer
field-findings = Findings
field-value = Value
field-numerator = Numerator
field-denominator = Denominator
field-date = Date
field-url = Address
field-publisher = Publisher
field-published_at = Published on
field-format = Format
and-more = See all

## The store and the reporting cycle in the CLI (init, validate, submission, completeness, approval).

store-created = Created a danvan store at { $at }
demo-imported = Imported { $count ->
    [one] 1 record
   *[other] { $count } records
} from the demo dataset ({ $warnings ->
    [one] 1 warning
   *[other] { $warnings } warnings
}), store revision { $revision }
store-summary = Store { $at }: { $count ->
    [one] 1 record
   *[other] { $count } records
}, revision { $revision }
validation-summary = Validation: { $errors ->
    [one] 1 error
   *[other] { $errors } errors
}, { $warnings ->
    [one] 1 warning
   *[other] { $warnings } warnings
}
step-begun = Begun { $record } (revision { $revision })
step-attached = Attached the signed original to { $record } (revision { $revision })
step-sent = Sent { $record } (revision { $revision })
step-returned = Returned { $record } (revision { $revision })
step-approved = Approved { $record } (revision { $revision })
step-unlocked = Unlocked { $record } (revision { $revision })
step-written = Written { $record } (revision { $revision })
sent-with = sent with:
no-original = submission { $id } has no signed original attached
hint-attach = attach one with `danvan submission attach { $id } FILE`
section-as = --section { $given }: write it as KEY=TEXT, e.g. "ket-qua=Tổ chức 12 cuộc đối thoại"
hint-period = write it as 2025S1, 2025Q2, 202506, 2025 or "6 tháng đầu năm 2025"
completeness-summary = { $period } — { $whose }: { $sent }/{ $owed } sent ({ $approved } approved), as of { $today }
approved-mark = approved
due-on = due { $day }
queue-empty = No report waits for approval.
queue-count = { $count ->
    [one] 1 report waits
   *[other] { $count } reports wait
} for approval:
queue-late = late
queue-resent = sent again
queue-sent = sent { $at } by { $by }

## danvan user.

hint-user-password = change their password with `danvan user password LOGIN`
user-added = added { $login } — { $name }, { $role } ({ $seat })
user-password-changed = password of { $login } changed; their sessions have ended
user-enabled = { $login } may sign in again
user-disabled = { $login } can no longer sign in; their sessions have ended
users-none = no users yet: `danvan user add LOGIN --name … --role … --province …` adds one
users-login = Login
users-name = Name
users-role = Role
users-seat = Seat
users-signs-in = Signs in
users-disabled = no (disabled)
exported = Exported { $count ->
    [one] 1 record
   *[other] { $count } records
} to { $file }
in-the-store = (store)

## The dashboard: each province's figures for the last closed half-year.

figures-by-province = Figures sent, by province
indicators-with-a-figure = indicators with a figure
without-a-figure = Indicators without a figure

# store copy, repair, report (the CLI)
store-copy-not-empty = { $to } already holds { $count ->
    [one] 1 record
   *[other] { $count } records
}: a copy goes only into an empty store
hint-store-copy-not-empty = copy into a new directory or an empty database; nothing was written
store-copied = Copied { $count ->
    [one] 1 record
   *[other] { $count } records
} from { $from } to { $to } ({ $parts }), revision { $revision }
store-copy-checked = Checked: the same count of each kind, SHA-256 { $sha }
kind-count = { $count ->
    [one] 1 { $kind }
   *[other] { $count } { $kinds }
}
repair-none = Store { $store }: no damage found; nothing to repair.
repair-found = found:
repair-would-be = would be
repair-was = was
repair-lost = lost:
repair-backup = The files changed were copied to { $backup } first.
repair-dry-run = Nothing was changed (--dry-run).
repair-opens = The store opens again.
report-wrote = Wrote the report to { $path }

# The report checker's rules: what (check-RULE) and why (check-why-RULE)
check-findings = The report checker found { $count ->
    [one] 1 thing
   *[other] { $count } things
} to look at before signing:
check-none = The report checker found nothing to correct.
check-place-data = Figures
check-strict-refused = The report was not written: the checker found { $count ->
    [one] 1 thing
   *[other] { $count } things
} to correct (--strict)
hint-check-strict = correct the figures or the text and make it again; without --strict the report is written anyway
check-breakdown = The parts do not add up to the total
check-why-breakdown = the parts (by kind, by province) must add up to the total, or the report contradicts itself
check-judgement = Met or not met without a target
check-why-judgement = a figure can be called met or not met only against a target
check-held-and-due = A review both held and due
check-why-held-and-due = a review that was held is no longer due: one of the two records is wrong
check-not-summable = Figures added that never add up
check-why-not-summable = rates, averages and end-of-period balances cannot be summed across units or periods
check-level-sum = The total is not the provinces' sum
check-why-level-sum = a total made from the provinces must equal their sum
check-unlike-comparison = Unlike figures compared
check-why-unlike-comparison = a comparison with a year earlier means something only in the same unit and scope
check-unit-coverage = Units' figures missing
check-why-unit-coverage = a total is whole only when every unit due has reported; those that have not must be named
check-title = A title that does not fit the period
check-why-title = a monthly or quarterly report is not called a review
check-incomplete-total = An incomplete total that does not say so
check-why-incomplete-total = a total missing units must say how many of those due it covers
check-shortcomings = No shortcomings said, though conferences recorded some
check-why-shortcomings = the shortcomings must reflect what the conferences recorded
check-national-coverage = A national total that hides missing provinces
check-why-national-coverage = a total of some provinces must say how many
check-phase-figures = A phase report that says it has no figures
check-why-phase-figures = the figures of the phase's years are the phase's figures
check-number = A number in the text that the figures do not hold
check-why-number = every number a chief signs must come from the recorded figures
check-missing-as-zero = Missing figures said as none
check-why-missing-as-zero = what was not reported is “no figures yet”, never “none” or “0”
check-period-code = A period code in the text
check-why-period-code = the text names a period in words, not by its code
check-after-report-date = Something after the report's date
check-why-after-report-date = a report tells only what happened by its date, and calls a review overdue only after its deadline
check-doubled-word = A word written twice
check-why-doubled-word = a slip the signer would have to correct
check-straight-quote = Straight quotes
check-why-straight-quote = Vietnamese text uses curly quotes
check-trailing-zeros = Trailing zeros
check-why-trailing-zeros = write 98%, not 98.00%
check-zero = A zero in the text
check-why-zero = none is said in words, never “0 conferences”
check-place-title = Title
check-place-units = Reporting units
check-place-indicators = Indicators
written-exported = Wrote the { $count ->
    [one] section
   *[other] { $count } sections
} to write to { $path }: write under each heading, then make the report with --written { $path }
issue-national-by-committee = a national report is issued by the central board; the Standing Committee issues a province's
issue-committee-title = who signs for the Standing Committee needs their title (--signer-title, e.g. "PHÓ BÍ THƯ")
issue-no-signer = the signer's name is empty (--signer)

# --help (the CLI): each command's description, the options every command takes, the headings
help-usage = Usage:
help-commands = Commands
help-options = Options
help-arguments = Arguments
help-cmd = The danvan command-line tool for provincial dân vận boards.
help-cmd-init = Create a store (with --demo, seeded with the demo dataset)
help-cmd-validate = Check every record in the store; exits 1 if any has an error (4 if the files are damaged)
help-cmd-repair = After damage is reported: keep what the files hold, name what is lost, back up what changes
help-cmd-due = Directive reviews (sơ kết, tổng kết) overdue or falling due, by province
help-cmd-search = Search every record, ignoring diacritics, case and tone placement
help-cmd-report = A periodic summary (sơ kết, tổng kết) of a province or the country: Markdown, HTML, DOCX, JSON, CSV
help-cmd-calendar = The work calendar (conferences, review deadlines) as an iCalendar file for a calendar app
help-cmd-serve = Serve the HTTP API on the store (created with the demo dataset on first run)
help-cmd-token = API tokens for `danvan serve`
help-cmd-token-new = Make a new random token: print it once, and add its hash to a configuration file
help-cmd-import = Import records from files, all or nothing: export documents, datasets, JSON Lines, CSV
help-cmd-export = Export the store, or what the filters match, as JSON, JSON Lines or CSV
help-cmd-changes = Every create, update and delete after a revision, in order, with who and why
help-cmd-store = Whole stores: copy every record between a directory and a PostgreSQL database
help-cmd-store-copy = Copy every record from FROM into TO, all or nothing: a directory or a postgres:// URL each; TO must be empty
help-cmd-doc-number = Parse and explain a document number such as "Số: 05-ĐA/TU"
help-cmd-provinces = The provinces on a date, with what merged into what on 1 July 2025
help-cmd-check = Load a dataset directory (as in fixtures/demo), validate it, and list the reviews due
help-cmd-conference = Conferences: add, show, list, update, delete
help-cmd-directive = Directives (nghị quyết, chỉ thị, kế hoạch, …): add, show, list, update, delete
help-cmd-directive-review-held = Mark a review (sơ kết, tổng kết) held, without rewriting the directive
help-cmd-model = "Dân vận khéo" models: add, show, list, update, delete
help-cmd-indicator = Indicator definitions beyond the built-in catalogue: add, show, list, update, delete
help-cmd-observation = Observations (figures reported for a period): add, show, list, update, delete
help-cmd-unit = Reporting units (sở, ngành; huyện until 30/6/2025; xã, phường, đặc khu; đảng bộ khối; mặt trận, đoàn thể; cụm thi đua): the registry that units' figures resolve to. Add, show, list, update, delete
help-cmd-award = Commendations (khen thưởng: bằng khen, giấy khen, cờ thi đua, …), at a conference or by a decision: add, show, list, update, delete
help-cmd-form = Forms (biểu mẫu): which indicators and written sections a level of unit reports each period, and by when
help-cmd-target = Targets (mục tiêu) the board sets: the value an indicator should reach in a province, or nationwide, over a year, a half-year or a term. Add, show, list, update, delete
help-cmd-submission = Units' reports for a period: begin, write, send, return, approve, unlock (and show, list, history)
help-cmd-submission-begin = Begin a unit's submission of a form for a period: a draft holding what the form asks now
help-cmd-submission-write = Write its sections: `--section "ket-qua=Tổ chức 12 cuộc đối thoại …"` (repeat)
help-cmd-submission-attach = Attach the signed original (a PDF or a DOCX), kept by its SHA-256; replaces an earlier one until it is sent
help-cmd-submission-original = Write the signed original to a file (or standard output with `--out -`)
help-cmd-submission-send = Send it to the board: checked first; errors refuse it, warnings need --why
help-cmd-submission-return = Send it back to the unit, saying what to fix (--why)
help-cmd-submission-approve = Approve it, locking the unit's figures for the period
help-cmd-submission-unlock = Unlock an approved submission, saying why (--why)
help-cmd-completeness = Every submission owed for a period, and how each stands: on time, late, not yet, returned, approved
help-cmd-approval = What waits for a board: the reports sent and not yet returned or approved
help-cmd-approval-queue = The reports sent to a board and waiting for it to return or approve, oldest first
help-cmd-user = The web app's users: add (a board's or a unit's, with a role), list, password, disable, enable
help-cmd-user-add = Add a user of the web app: a login, their name, a role and where they sit — a province's board, the central board or a unit
help-cmd-user-list = Every user: login, name, role, seat, whether they may sign in
help-cmd-user-password = Set a user's password (asked twice, or from --password-stdin): their sessions end
help-cmd-user-disable = Stop a user signing in (their sessions end; the history keeps their name)
help-cmd-user-enable = Let a disabled user sign in again
help-cmd-ingest = Read articles and reports (text, HTML, DOCX, PDF) into proposed records, each value with the words that say it; writes only what is accepted (--review, --yes)
help-cmd-completions = Print a shell completion script: bash, zsh, fish, powershell or elvish
help-cmd-add = Add a record field by field (typed flags, in Vietnamese forms too), and/or from a JSON file
help-cmd-new = Enter a record on a terminal, guided: each field asked in turn (choices listed, checked as you go)
help-cmd-show = Show one record and its revision
help-cmd-list = List records, filtered and sorted
help-cmd-edit = Edit a record's JSON in $VISUAL or $EDITOR; it is checked before saving, and reopened with the errors until it is right
help-cmd-update = Change fields of a record: typed flags and --set replace a field, --clear empties one
help-cmd-history = Every revision of a record: who changed it, when, why, and each field old → new
help-cmd-delete = Delete a record
help-arg-store = The store: a directory, or a PostgreSQL database as postgres://user:password@host/db [default: $DANVAN_STORE, then ./danvan-data]
help-arg-json = Print JSON for scripts instead of tables
help-arg-quiet = Print less: only results and errors
help-arg-verbose = Print more: the store used and how long the command took
help-arg-lock-timeout = How long a write waits for another writer (another process, another server) to finish, in seconds
help-arg-actor = Who makes the changes, as the history records it [default: $DANVAN_ACTOR, then the OS user]
help-arg-reason = Why: recorded with the changes in their history
help-arg-token = Write as the holder of this API token: its name is the actor, and a token bound to provinces changes only their records, as it would through the server (looked up in --token-config)
help-arg-lang = The language: vi (Vietnamese) or en (English). Messages default to $DANVAN_LANG, then the locale, then vi; a report or calendar is written in Vietnamese unless --lang en asks
help-arg-token-config = The server's configuration file that lists --token
help-arg-help = Print help
help-arg-version = Print version
help-fields = Fields (Vietnamese accepted: dates 22/6/2023, numbers 1.272, periods "6 tháng đầu năm 2024")
help-any-field = Any field
help-cmd-man = Print the man page (roff); `cargo xtask man` writes it to target/man/danvan.1
help-for-example = e.g.
help-arg-from = A JSON file holding the record (- for standard input); flags apply after it
help-arg-set = Set a field by its name or Vietnamese label, read by the field's type: --set reviewed_period=2022, --set "Kỳ sơ kết=6 tháng đầu năm 2024"
help-arg-add = Add one item to a list field: --add "chairs=Nguyễn Văn A, Bí thư Huyện ủy"
help-arg-remove = Remove the items of a list field that match: --remove "chairs=Nguyễn Văn A"
help-arg-clear = Clear a field, by its name or Vietnamese label, so that it holds no value: --clear stated, --clear "Địa điểm"
help-arg-report--period = The period: 2024S1, 2024, 2021-2025, or a phrase ("6 tháng đầu năm 2024")
help-arg-report--province = A province (slug or name); without it, the whole country
help-arg-report--as-recorded = Count records for the province they name, not its 2025 successor [default: so for a report dated before 1 July 2025]
help-arg-report--cut-off = Use the Decree 09/2019 reporting window (15th of the previous month to the 14th)
help-arg-report--date = The report's date, for the place-and-date line [default: today]
help-arg-report--out = Write to this file instead of standard output
help-arg-report--format = markdown, html, docx, json (the figures) or csv (the indicator table) [default: from the --out extension, else markdown]
help-arg-report--order = National tables across provinces: in Vietnamese order of names, or best figure first
help-arg-report--explain = Instead of the report, show how each figure was computed: the records behind it, the comparison period and the target
help-arg-report--include-pending = Count units' figures sent but not yet approved, marked "số liệu chưa được duyệt" [default: only approved ones]
help-arg-report--strict = Refuse to write the report when the report checker finds anything to correct (what it finds is printed either way)
help-arg-report--template = The outline: hien-hanh (the default), dinh-ky (the Central Commission's periodic outline), so-ket-van-ban, ban-tin, or a TOML file of your own
help-arg-report--written = The board's written sections (a Markdown file, one "## key" heading each), put in their places; a number in them the records do not hold is flagged
help-arg-report--export-written = Instead of the report, write the outline's written sections to a file to fill in, then read it back with --written
help-arg-report--number = Issue the report with this number in the register ("Số 45-BC/BDVTU"), with --signer; without it: a draft
help-arg-report--issuer = Who issues it: ban (the board, "-BC/BDVTU") or thuong-vu (the Standing Committee, "-BC/TU")
help-arg-report--signer = Who signs, e.g. "Hà Thị Bích Hạnh"
help-arg-report--signer-title = The signer's title, e.g. "PHÓ TRƯỞNG BAN" [default for the board: TRƯỞNG BAN; required for the Standing Committee]
help-arg-report--recipients = A recipient, with why in brackets (repeat), e.g. "Ban Dân vận Trung ương (để báo cáo)"; the office's copy is added last
help-arg-list--province = A province (slug or name), on today's map unless --as-recorded
help-arg-list--as-recorded = Count a record only for the province it names, not its 2025 successor
help-arg-list--period = A period: 2024, 2024S1, 2024Q2, 202406, 2021-2025 or a phrase ("6 tháng đầu năm 2024")
help-arg-list--overlapping = With --period: records that overlap it, not only those within it
help-arg-list--reviewed-period = Conferences that reviewed this period or a part of it, whatever their own date
help-arg-list--since = Records dated on or after this day (22/6/2023, "ngày 22 tháng 6 năm 2023")
help-arg-list--until = Records dated on or before this day
help-arg-list--kind = Conferences of this kind: six-month review, annual review, directive review, thematic, workshop, dialogue, training
help-arg-list--field = Models of this field: economy, culture and society, defence and security, political system, other
help-arg-list--indicator = Observations of this indicator
help-arg-list--text = Text that must occur (diacritic-insensitive)
help-arg-list--sort = Order by date, id, title (Vietnamese order), revision, or relevance (with --text)
help-arg-list--desc = Reverse the order
help-arg-list--limit = How many to show
help-arg-list--cursor = Continue after a previous page (the `next` value it printed)
help-arg-init--demo = Seed the store with the demo dataset (fixtures/demo)
help-arg-validate--inferred = Also list every value a record marks as inferred (a year taken from the publication date, a province from the site), with what it was inferred from
help-arg-repair--dry-run = Report what would be done, and change nothing
help-arg-due--within = How far ahead to look: months (6m, 6), years (1y) or days (90d)
help-arg-due--as-of = The date to look from (YYYY-MM-DD)
help-arg-due--province = Only this province's reviews (slug or name, on today's map): its own directives' and its reviews of central directives
help-arg-search--text = What to find; diacritics, case and tone placement do not matter ("dan van kheo")
help-arg-search--kind = Only records of this kind
help-arg-search--limit = How many results to show
help-arg-calendar--province = Only this province's events (slug or name, on today's map: Bắc Kạn's are Thái Nguyên's); without it, every province's and the central ones
help-arg-calendar--out = Write to this file (`lich.ics`) instead of standard output
help-arg-serve--config = A TOML configuration file: bind, read_access, body_limit, request_timeout_secs, cors_origins, log_json and `[[tokens]]` tables
help-arg-serve--bind = The address to listen on
help-arg-serve--read-access = Whether reads need a token: open or token
help-arg-serve--bound-reads = Hold a province's token to its provinces' records when it reads too (lists, search, records and histories, the change feed, exports, reviews due, reports); national tokens read everything. Use with --read-access token
help-arg-serve--body-limit = The largest request body, in bytes
help-arg-serve--request-timeout = How long a request may take, in seconds
help-arg-serve--idle-timeout = How long a connection may take to send a request's headers, and stay open between requests, in seconds
help-arg-serve--max-connections = How many connections to serve at once; more wait
help-arg-serve--shutdown-deadline = How long shutdown waits for requests in flight, in seconds
help-arg-serve--lock-wait = How long a request waits for another process's lock on the store before a 503, in seconds
help-arg-serve--record-cache = Memory for records kept as JSON, so that a record read again is not serialised again, in MiB; 0 turns it off
help-arg-serve--page-cache = Memory for list pages as answered, so that a page asked for again before the next write is not made again, in MiB; 0 turns it off
help-arg-serve--session-secret = The secret the web app's session cookies are signed with: servers given the same one share their users' sessions (several servers behind a load balancer). At least 16 characters; without it each server makes its own, and a restart signs everyone out
help-arg-serve--cors-origins = An origin allowed to call the API from a browser (repeat, or comma-separate); CORS is off without one
help-arg-serve--log-json = Log one JSON object per line instead of text
help-arg-serve--integrity-check = How often to check the store's files for damage, in seconds; 0 turns it off
help-arg-serve--webhooks = Where webhooks are kept (their registrations, where their deliveries stand, a log of recent deliveries)
help-arg-serve--exchange-mapping = A DHIS2/ADX mapping (TOML: indicators to data elements, provinces to organisation units): /v1/exchange/dhis2 and /v1/exchange/adx exchange the figures through it
help-arg-serve--no-seed = Fail if the store does not exist, instead of creating it with the demo dataset
help-arg-token-new--name = Who will hold it (shown in the logs)
help-arg-token-new--scope = What it may do: read, write (includes read) or admin (includes write: bulk import)
help-arg-token-new--provinces = Bind it to a province's records (repeat for several): a slug or name on today's map. It then writes only their records (those of the provinces merged into them included); without it, every province's. Not for admin tokens
help-arg-token-new--config = The configuration file to add it to (created if missing); without it, the TOML entry to add by hand is printed
help-arg-import--files = Files to import: .json (export document or dataset), .jsonl, .csv (one kind per file, named after it: models.csv, mo-hinh.csv), .xlsx (one kind per sheet, named after it: Hội nghị, Số liệu), or dataset directories
help-arg-import--template = Write an empty workbook to fill instead (.xlsx): the sheet of --kind (default: observation) with its Vietnamese headers, drop-down lists of the allowed values, an example row and how to fill it; import it once filled
help-arg-import--dry-run = Check everything and report, but write nothing
help-arg-import--kind = The kind of record in CSV files whose name does not say it (a file named `bao-cao-quy-3.csv`)
help-arg-import--format = Figures from another system: dhis2 (dataValueSets JSON) or adx (XML), one file, with --mapping; all or nothing
help-arg-import--mapping = The DHIS2/ADX mapping (TOML), with --format
help-arg-export--format = json (one export document), jsonl (one record per line), csv (with --only), xlsx (a workbook, one sheet per kind; with --out), or the figures as dhis2 (dataValueSets JSON) or adx (XML), with --mapping
help-arg-export--headers = The language of CSV and workbook headers (and sheet names)
help-arg-export--out = Write to this file instead of standard output
help-arg-export--only = Only records of this kind
help-arg-export--mapping = The DHIS2/ADX mapping: indicators to data elements, provinces to organisation units (TOML; fixtures/exchange/mapping.toml is the demo store's)
help-arg-export--province = A province (slug or name), on today's map unless --as-recorded
help-arg-export--as-recorded = Count a record only for the province it names, not its 2025 successor
help-arg-export--period = A period: 2024, 2024S1, 2024Q2, 202406, 2021-2025 or a phrase ("6 tháng đầu năm 2024")
help-arg-export--overlapping = With --period: records that overlap it, not only those within it
help-arg-export--reviewed-period = Conferences that reviewed this period or a part of it, whatever their own date (2024, 2024S1, "6 tháng đầu năm 2024")
help-arg-export--since = Records dated on or after this day (22/6/2023, "ngày 22 tháng 6 năm 2023", 2023-06-22)
help-arg-export--until = Records dated on or before this day
help-arg-export--kind = Conferences of this kind: six_month_review ("sơ kết 6 tháng"), annual_review, directive_review, thematic, workshop ("hội thảo"), dialogue, training
help-arg-export--field = Models of this field: economy ("kinh tế"), culture_society, defence_security, political_system, other
help-arg-export--indicator = Observations of this indicator
help-arg-export--text = Text that must occur (diacritic-insensitive)
help-arg-export--sort = Order by date, id, title (Vietnamese order), revision, or relevance (with --text)
help-arg-export--desc = Reverse the order
help-arg-export--limit = How many to show
help-arg-export--cursor = Continue after a previous page (the `next` value it printed)
help-arg-changes--since = Changes after this revision (0: all the store holds), or the `next` position a previous run printed
help-arg-changes--limit = How many changes to show
help-arg-provinces--at = Show the map on this date (YYYY-MM-DD)
help-arg-check--dir = The dataset directory: one JSON array per record kind, as in fixtures/demo
help-arg-check--as-of = The date to compute due reviews from (YYYY-MM-DD); defaults to today
help-arg-check--within = How many months ahead a review counts as falling due
help-arg-conference-add--online = Held online, with this many connection points (0 if not known)
help-arg-conference-add--hybrid = Held in person and online, with this many connection points
help-arg-conference-update--online = Held online, with this many connection points (0 if not known)
help-arg-conference-update--hybrid = Held in person and online, with this many connection points
help-arg-directive-review-held--id = The directive's ID
help-arg-directive-review-held--review = The review: its label ("sơ kết 3 năm"), the year or period it is due ("2024"), or its place in the list (1, 2, …)
help-arg-directive-review-held--on = When it was held: a day (26/5/2024), or the month, quarter, half-year or year
help-arg-directive-review-held--by = The body that held it
help-arg-directive-review-held--conference = The conference that held it, by ID (its date is the review's)
help-arg-directive-review-held--evidence = The document that records it: "Báo cáo số 115-BC/TU ngày 30/5/2024"
help-arg-directive-review-held--source = Where it was published (an address)
help-arg-directive-review-held--date-unknown = The source says the review was held and gives no date
help-arg-directive-review-held--findings = What the review found (repeat for each): "đã có 95% chi bộ xây dựng kế hoạch"
help-arg-directive-review-held--if-revision = Only if the directive is still at this revision (as `show` printed it)
help-arg-observation-add--figure = The figure: 1.272/1.337 (numerator/denominator), 98,66% or 2.481
help-arg-observation-update--figure = The figure: 1.272/1.337 (numerator/denominator), 98,66% or 2.481
help-arg-submission-begin--form = The form (biểu mẫu), by ID
help-arg-submission-begin--unit = The reporting unit, by ID
help-arg-submission-begin--province = The province sending to the central board
help-arg-submission-begin--period = The period: "6 tháng đầu năm 2025", 2025S1, 2025
help-arg-submission-write--id = The submission's ID
help-arg-submission-write--sections = KEY=TEXT: a section of its form, and what the unit writes in it
help-arg-submission-original--id = The submission's ID
help-arg-submission-original--out = Where to write it
help-arg-completeness--period = The period: "6 tháng đầu năm 2025", 2025S1, 2025
help-arg-completeness--province = The province whose units are asked about; without it, the provinces to the centre
help-arg-completeness--as-of = The day to judge "overdue" on (default: today)
help-arg-approval-queue--province = The province whose units' reports wait; without it, every province's units' and the provinces' reports to the central board
help-arg-user-add--login = What they sign in with: lowercase letters, digits, `.`, `-`, `_` ("dinh-hoa.nhaplieu")
help-arg-user-add--name = Their name, as the history will show it ("Lê Thị Hoa")
help-arg-user-add--role = nhập liệu (clerk), duyệt (approver), lãnh đạo (leader) or quản trị (admin)
help-arg-user-add--province = The province whose board they sit at (a slug or a name on today's map)
help-arg-user-add--central = They sit at the central board
help-arg-user-add--unit = The registered unit they sit at (its ID: `danvan unit list`)
help-arg-user-add--password-stdin = Read the password from the first line of standard input
help-arg-user-password--login = The user's login
help-arg-user-password--password-stdin = Read the password from the first line of standard input
help-arg-user-disable--login = The user's login
help-arg-user-enable--login = The user's login
help-arg-ingest--url = The address the text was published at (an HTML page's own address is read from it); its site names the province when the text does not (marked as inferred)
help-arg-ingest--published = The day the text was published: the year of "Chiều 14/3" is taken from it (and marked as inferred). 15/3/2025 or 2025-03-15
help-arg-ingest--review = Go through the proposals one by one: write (g), edit a value (s), skip (b), stop (d)
help-arg-ingest--yes = Write every complete proposal without asking
help-arg-doc-number--text = The number as written, e.g. "Số: 05 - DA/TU" or "09/2019/ND-CP"
help-arg-store-copy--from = The store to copy from: a directory or postgres://user:password@host/db
help-arg-store-copy--to = The store to copy into, created when missing
help-arg-update--id = The record's ID
help-arg-delete--id = The record's ID
help-arg-show--id = The record's ID
help-arg-history--id = The record's ID
help-arg-edit--id = The record's ID
help-arg-update--if-revision = Only if the record is still at this revision (as `show` printed it)
help-arg-delete--if-revision = Only if the record is still at this revision (as `show` printed it)
help-arg-delete--cascade = Also detach the records that refer to it (deleting observations of an indicator)
help-arg-submission-send--id = The submission's ID
help-arg-submission-send--why = Why: what to fix (return), why it is reopened (unlock), the warnings explained (send)
help-arg-submission-send--if-revision = Only if the submission is still at this revision (as `show` printed it)
help-arg-submission-return--id = The submission's ID
help-arg-submission-return--why = Why: what to fix (return), why it is reopened (unlock), the warnings explained (send)
help-arg-submission-return--if-revision = Only if the submission is still at this revision (as `show` printed it)
help-arg-submission-approve--id = The submission's ID
help-arg-submission-approve--why = Why: what to fix (return), why it is reopened (unlock), the warnings explained (send)
help-arg-submission-approve--if-revision = Only if the submission is still at this revision (as `show` printed it)
help-arg-submission-unlock--id = The submission's ID
help-arg-submission-unlock--why = Why: what to fix (return), why it is reopened (unlock), the warnings explained (send)
help-arg-submission-unlock--if-revision = Only if the submission is still at this revision (as `show` printed it)
help-arg-ingest--files = The files to read: plain text (UTF-8), HTML pages, DOCX documents, PDFs with a text layer
help-arg-conference-add--in-person = Held in person only
help-arg-conference-update--in-person = Held in person only
help-arg-repair--accept-edits = Take shard files as they are now, edits made by hand included, instead of restoring the acknowledged writes the journals hold
help-arg-submission-attach--id = The submission's ID
help-arg-submission-attach--file = The signed report (a PDF or a DOCX)
help-arg-completions--shell = The shell
help-arg-directive-add--number = The document as cited: "Kế hoạch số 31-KH/BDVTU ngày 15/3/2023" (fills number, type, date and issuer)
help-arg-directive-add--phase = Its phase: "giai đoạn 2021 - 2025, định hướng đến năm 2030"
help-arg-directive-add--review = A review milestone: "sơ kết 3 năm: 2024" (repeat)
help-arg-directive-update--number = The document as cited: "Kế hoạch số 31-KH/BDVTU ngày 15/3/2023" (fills number, type, date and issuer)
help-arg-directive-update--phase = Its phase: "giai đoạn 2021 - 2025, định hướng đến năm 2030"
help-arg-directive-update--review = A review milestone: "sơ kết 3 năm: 2024" (repeat)
help-arg-init--dir = Where to create the store: a directory, or a postgres:// URL (an empty database gets the schema) [default: --store]
help-default = [default: { $value }]
help-env = [env: { $name }]
help-values = [possible values: { $values }]
report-outline = Outline
# The web app's sentences once written in code as a pair
completeness-title = Reports owed — { $period }
web-completeness-summary = { $sent } of { $owed } sent, { $approved } approved (as of { $day }).
cycle-role-may-not = { $login } ({ $role }) may not return, approve or unlock reports: the board's approvers and leaders do.
queue-not-for-units = A unit's reports are approved by its board; a unit's sign-in follows its own reports on the Reports owed page.
dashboard-owed = { $sent } of { $owed } sent, { $approved } approved, { $overdue } overdue
form-id-taken = { $kind } already holds { $id }: choose another ID, or edit that one
record-outside-provinces = This record is outside the sign-in's provinces ({ $detail }).
form-required = is required
report-of-another-unit = This report is another unit's: a unit's sign-in sees and sends only its own unit's reports.
no-figure-yet = no figure
users-admins-only = Only a board's administrator manages users.
users-seat-outside = That seat is outside your board.
users-login-taken = The login “{ $login }” is taken.
users-no-user = There is no user “{ $login }”.
users-may-not-change = You may not change this user: they are outside your board, or you would take away your own administration.
