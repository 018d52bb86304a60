# danvan's message catalogue: Vietnamese (the default for people).
#
# One message per ID, the same IDs and arguments in vi.ftl and en.ftl (the tests of
# crates/danvan-i18n check it). Syntax: https://projectfluent.org/fluent/guide/

## The web app's words (crates/danvan-http/src/web/templates, web/*.rs).

sign-in = Đăng nhập
read-a-text = Nhập từ văn bản
written = Đã ghi:
already-recorded = đã có, chỉ liên kết
read-another-text = Đọc văn bản khác
nothing-was-written = Chưa ghi gì.
each-value-is-shown-with-the = Mỗi giá trị kèm câu chữ làm căn cứ, được tô sáng trong văn bản; giá trị suy ra (không đọc trực tiếp) ghi rõ suy ra từ đâu. Sửa giá trị trong ô, điền những gì văn bản không nêu, đánh dấu những bản ghi cần ghi.
the-text = Văn bản
sentences-nothing-was-taken-from = Câu chưa dùng
proposed-records = Bản ghi đề xuất
the-text-states-no-record-danvan = Văn bản không nêu bản ghi nào danvan đọc được.
directive = Văn bản chỉ đạo
figure = Số liệu
model = Mô hình
commendation = Khen thưởng
record = Bản ghi
already-recorded-2 = Đã có trong kho:
write-this-record = Ghi bản ghi này
inferred = suy ra:
the-text-does-not-say-fill = Văn bản không nêu; điền vào để ghi bản ghi này.
write-the-ticked-records = Ghi các bản ghi đã chọn
the-text-of-an-article-a = Nội dung bài báo, báo cáo hoặc quyết định
nothing-is-written-until-you-choose = Chưa ghi gì cho đến khi anh/chị chọn bản ghi cần ghi.
address-of-the-article-optional = Địa chỉ bài viết (không bắt buộc)
the-site-names-the-province-when = Trang đăng tin cho biết tỉnh, thành phố khi văn bản không nêu.
day-published-optional = Ngày đăng (không bắt buộc)
the-year-of-a-day-written = Năm của ngày viết không kèm năm (“Chiều 14/3”) lấy theo ngày đăng.
read-the-text = Đọc văn bản
sign-out = Đăng xuất
access-token = Mã truy cập
login = Tên đăng nhập
users = Người dùng
waiting-for-approval = Chờ duyệt
enter-the-figures = Nhập số liệu
the-signed-original = Bản gốc có chữ ký
download = Tải về
no-signed-original-is-attached-yet = Chưa đính kèm bản gốc có chữ ký.
the-signed-report-pdf-or-docx = Báo cáo đã ký (PDF hoặc DOCX)
attach = Đính kèm
numerator = Tử số
denominator = Mẫu số
save-the-figures = Lưu số liệu
sent = Gửi lúc
late = quá hạn
sent-again-after-a-return = gửi lại sau khi bị trả lại
the-people-who-sign-in-to = Những người đăng nhập ứng dụng của Ban: cán bộ của Ban và của các đơn vị. Tài khoản của đơn vị chỉ xem và gửi báo cáo của đơn vị mình; người duyệt, lãnh đạo và quản trị của Ban trả lại và duyệt báo cáo.
add-a-user = Thêm người dùng
lowercase-letters-without-diacritics-digits-dots = Chữ thường không dấu, chữ số, dấu chấm và gạch nối: dinh-hoa.nhaplieu
full-name = Họ và tên
role = Vai trò
seat = Nơi công tác
first-password = Mật khẩu ban đầu
at-least-10-characters-give-it = Ít nhất 10 ký tự. Trao trực tiếp cho người dùng; họ có thể đăng nhập ngay.
add = Thêm
users-of-the-board-and-its = Người dùng của Ban và các đơn vị
no-user-yet = Chưa có người dùng nào.
may-sign-in = được đăng nhập
disabled = đã khóa
sign-in-2 = Đăng nhập
new-password-leave-empty-to-keep = Mật khẩu mới (để trống nếu giữ nguyên)
password = Mật khẩu
sign-in-with-an-access-token = Đăng nhập bằng mã truy cập
sign-in-with-the-token = Đăng nhập bằng mã
the-login-or-the-password-is = Tên đăng nhập hoặc mật khẩu không đúng.
the-token-your-administrator-gave-you = Mã do quản trị viên cấp cho anh/chị (danvan token new).
that-token-is-not-known-to = Mã truy cập không đúng.
dashboard = Tổng quan
conferences = Hội nghị
directives = Văn bản chỉ đạo
models = Mô hình
indicators = Chỉ tiêu
observations = Số liệu
reporting-units = Đơn vị báo cáo
commendations = Khen thưởng
forms = Biểu mẫu
reports-owed = Tình hình gửi báo cáo
the-units-figures = Số liệu của đơn vị
indicator = Chỉ tiêu
this-period = Kỳ này
previous-period = Kỳ trước
the-period-is-not-over-no = Kỳ báo cáo chưa kết thúc: chưa tính tỉnh, thành phố nào là chưa gửi số liệu.
reporting-unit = Đơn vị báo cáo
standing = Tình trạng
due = Hạn gửi
report = Báo cáo
approved = đã duyệt
open = Mở
begin = Bắt đầu nhập
no-report-is-owed-for-this = Kỳ này không có báo cáo phải gửi: chưa có biểu mẫu áp dụng.
send-return-approve = Gửi, trả lại, duyệt
step = Thao tác
send-to-the-board = Gửi lên Ban
return-to-the-unit = Trả lại đơn vị
approve = Duyệt
unlock = Mở khóa
why-needed-to-return-or-unlock = Lý do (bắt buộc khi trả lại hoặc mở khóa; giải trình cảnh báo khi gửi)
not-saved = Chưa lưu được
submissions = Báo cáo của đơn vị
targets = Mục tiêu
reports = Báo cáo
whole-country = Toàn quốc
reviews-overdue = Mốc sơ kết, tổng kết quá hạn
reviews-due = Mốc sơ kết, tổng kết sắp đến hạn
latest-conferences = Hội nghị gần đây
indicators-against-target = Chỉ tiêu so với mục tiêu
completeness = Mức độ đầy đủ số liệu
indicators-with-no-figure-yet = Chỉ tiêu chưa có số liệu
provinces-that-have-sent-nothing = Tỉnh, thành phố chưa gửi số liệu
every-indicator-has-a-figure = Tất cả chỉ tiêu đã có số liệu.
every-province-has-sent-figures = Tất cả tỉnh, thành phố đã gửi số liệu.
none = Không có.
days-late = ngày quá hạn
days-left = ngày còn lại
due-2 = hạn
search = Tìm kiếm
search-diacritics-optional = Tìm kiếm (gõ có dấu hoặc không dấu)
province = Tỉnh, thành phố
all = Tất cả
period = Kỳ
filter = Lọc
new = Thêm mới
edit = Sửa
save = Lưu
cancel = Hủy
id = Mã
title = Tên
date = Ngày
records = bản ghi
next-page = Trang sau
no-records-match = Không có bản ghi phù hợp.
history = Lịch sử thay đổi
revision = Phiên bản
when = Thời gian
who = Người sửa
why = Lý do
changes = Thay đổi
created = tạo mới
updated = cập nhật
deleted = xóa
the-record-as-stored-json = Bản ghi được lưu (JSON)
reason-for-the-change-optional = Lý do thay đổi (không bắt buộc)
please-correct-the-problems-marked-below = Vui lòng sửa các mục được đánh dấu bên dưới; chưa có gì được lưu.
someone-changed-this-record-while-you = Bản ghi đã được người khác sửa trong khi anh/chị đang sửa. Những thay đổi:
your-form-is-shown-again-with = Biểu mẫu hiển thị lại với nội dung anh/chị đã nhập; bấm Lưu lần nữa để giữ.
saved = Đã lưu.
read-only = Chỉ xem
e-g = ví dụ
language = Ngôn ngữ
scope = Phạm vi
preview = Xem trước
show = Xem
report-preview = Xem trước báo cáo
value = Giá trị
target = Mục tiêu
against-targets = Kết quả so với mục tiêu
targets-met = mục tiêu đạt
targets-without-a-figure = mục tiêu chưa có số liệu
details = Chi tiết
met = Đạt
not-met = Chưa đạt
not-judged = Chưa đánh giá được
no-figure = Chưa có số liệu
no-targets-set = Chưa có mục tiêu nào áp dụng cho năm này; Ban giao mục tiêu tại trang
status = Đánh giá
trend = Xu hướng
not-allowed = Không có quyền
not-found = Không tìm thấy
back-to-the-dashboard = Về trang tổng quan
signed-in-as = Đăng nhập với
skip-to-content = Bỏ qua, đến nội dung chính
import = Nhập dữ liệu
reviews = Các mốc sơ kết, tổng kết
held = đã tổ chức
record-it-as-held = Ghi nhận đã tổ chức
held-on-a-day-or-the = Ngày tổ chức (hoặc tháng, quý, 6 tháng)
held-by = Cơ quan tổ chức
the-source-gives-no-date = Nguồn không nêu ngày
date-not-known = chưa rõ ngày
what-the-review-found-one-per = Kết quả sơ kết, tổng kết (mỗi ý một dòng)
at-the-conference-its-id = Tại hội nghị (mã hội nghị)
the-document-that-records-it = Văn bản ghi nhận
where-it-was-published-address = Nơi đăng tin (địa chỉ)
conference = Hội nghị
imported = Đã nhập
unchanged = không đổi
import-another-file = Nhập tệp khác
records-outside-your-provinces-are-unchanged = bản ghi ngoài phạm vi tỉnh, thành phố của tài khoản không thay đổi và được giữ nguyên.
nothing-was-imported-correct-these-in = Chưa nhập bản ghi nào. Vui lòng sửa các lỗi sau trong tệp rồi tải lên lại:
dry-run = Kiểm tra trước
records-would-be-written = bản ghi sẽ được ghi
warnings = Cảnh báo
where = Vị trí
action = Thao tác
import-these-records = Nhập các bản ghi này
a-csv-file-or-a-workbook = Tệp CSV hoặc bảng tính (.xlsx, .xls, .ods)
headers-in-vietnamese-or-english-as = Tiêu đề cột bằng tiếng Việt hoặc tiếng Anh như tệp xuất của danvan; bảng tính có mỗi loại bản ghi một trang.
kind-of-record-for-a-csv = Loại bản ghi (với tệp CSV không đặt tên theo loại)
from-the-files-name = Theo tên tệp
check-the-file = Kiểm tra tệp
user-role-missing = Chưa chọn vai trò.
user-seat-missing = Chưa chọn nơi công tác.

## Counts.

late-by-days = quá hạn { $count } ngày

## The CLI: how an error is shown.

cli-error = lỗi:
cli-hint = gợi ý:
problem-error = lỗi
problem-warning = cảnh báo

## Kinds of record, as a sentence names them.

kind-directive = văn bản chỉ đạo
kind-conference = hội nghị
kind-model = mô hình
kind-indicator = chỉ tiêu
kind-observation = số liệu
kind-unit = đơn vị báo cáo
kind-award = khen thưởng
kind-form = biểu mẫu
kind-submission = báo cáo của đơn vị
kind-target = mục tiêu

## The store's refusals (danvan_store::StoreError).

store-not-a-store = không có kho dữ liệu danvan tại { $at }: hãy tạo kho trước
store-already-exists = { $at } đã có một kho dữ liệu danvan
store-newer-format = kho dữ liệu tại { $at } có định dạng phiên bản { $found }, mới hơn phiên bản danvan này đọc được ({ $supported }): hãy nâng cấp danvan
store-locked = kho dữ liệu tại { $at } đang bị một tiến trình khác khóa (đã chờ { $waited } ms): hãy thử lại khi tiến trình đó xong
store-not-found = không có { $kind } nào mang mã { $id }
store-record-exists = { $record } đã có (phiên bản { $revision }): hãy sửa bản ghi đó, hoặc đặt mã khác cho bản ghi mới
store-conflict = { $record } đang ở phiên bản { $actual }, không phải { $expected }: người khác vừa sửa bản ghi; hãy đọc lại rồi sửa lại
store-conflict-deleted = { $record } đã bị xóa trong khi anh/chị sửa phiên bản { $expected }: hãy đọc lại kho rồi làm lại
store-invalid = không ghi được vì dữ liệu có lỗi:
store-referenced = { $record } đang được { $by } tham chiếu: hãy xóa các bản ghi đó trước, hoặc dùng --cascade
store-pruned = nhật ký thay đổi chỉ còn từ phiên bản { $oldest }; các thay đổi sau phiên bản { $after } đã bị lược bớt: hãy đọc lại toàn bộ kho (xuất dữ liệu) rồi theo dõi tiếp từ phiên bản của nó
store-feed-ahead = nhật ký thay đổi kết thúc ở phiên bản { $latest }; vị trí { $after } vượt quá (của kho khác, hoặc kho này đã được khôi phục từ bản cũ hơn): hãy đọc lại toàn bộ kho (xuất dữ liệu) rồi theo dõi tiếp từ phiên bản của nó
store-user-exists = đã có người dùng `{ $login }`
store-user-missing = không có người dùng `{ $login }`
store-database = cơ sở dữ liệu { $at }: { $message }
store-forbidden = `{ $actor }` chỉ được ghi bản ghi của { $allowed }; { $why }
store-timeout = kho dữ liệu chưa trả lời sau { $seconds } giây: hãy thử lại sau ít phút
server-fault = máy chủ gặp lỗi khi xử lý yêu cầu này; đã ghi lại để quản trị viên kiểm tra, anh/chị hãy thử lại
could-not-be-done = Chưa thực hiện được
read-only-sign-in = Tài khoản này chỉ được xem, không được sửa bản ghi.
csrf-missing = Biểu mẫu không mang mã bảo vệ (CSRF) của phiên đăng nhập này; hãy tải lại trang rồi thử lại.
import-file-kinds = trang web nhập tệp .csv và .xlsx (cả .ods)
ingest-paste-text-first = Hãy dán nội dung bài viết hoặc báo cáo vào trước.
unreadable-page-address = Địa chỉ trang có tham số mà trang không đọc được; hãy mở lại trang từ trình đơn
reports-of-own-provinces-only = Tài khoản này chỉ lập báo cáo của tỉnh, thành phố mình.
whose-central = Trung ương (không thuộc tỉnh nào)
whose-merged = { $recorded } (nay thuộc { $current })
refusal-record = { $record } thuộc { $whose }
refusal-reference = { $record } sẽ tham chiếu (trường { $field }) tới { $target }, thuộc { $whose }
refusal-unit = { $record } không phải báo cáo hay số liệu của đơn vị { $unit }, loại bản ghi duy nhất người dùng của đơn vị được ghi
refusal-own-report = { $record } là báo cáo của chính đơn vị { $unit }: người dùng của đơn vị gửi báo cáo; Ban trả lại, duyệt và mở khóa

hint-not-a-store = dùng --store THƯ_MỤC hoặc đặt biến DANVAN_STORE để dùng kho khác; `danvan init --demo` tạo một kho có dữ liệu mẫu
hint-corrupt = sửa tệp tại vị trí đó (hoặc khôi phục tệp), rồi chạy `danvan repair` để nhận bản đã sửa; chưa ghi gì
hint-damaged-database = một dòng dữ liệu đã bị sửa ngoài danvan: hãy khôi phục từ bản sao lưu của cơ sở dữ liệu (hoặc ghi lại bản ghi qua danvan) rồi mở lại kho; chưa ghi gì
hint-damaged = hãy khôi phục tệp từ bản sao lưu, hoặc chạy `danvan repair --dry-run` để xem sửa chữa sẽ giữ lại gì và mất gì; chưa ghi gì
hint-referenced = dùng --cascade để gỡ tham chiếu khỏi các bản ghi đó
hint-database = hãy kiểm tra máy chủ cơ sở dữ liệu đang chạy và máy chủ, cổng, người dùng, mật khẩu, tên cơ sở dữ liệu trong địa chỉ là đúng; chưa ghi gì

## The web app's pages that say something is not there.

sign-in-form-expired = Biểu mẫu đã hết hạn; hãy đăng nhập lại.
page-not-found = Không có trang này.
record-not-found = Không có bản ghi này.
review-not-found = Không có mốc sơ kết, tổng kết này.
no-such-record = Không có { $kind } { $id }.
unknown-step = Không có bước xử lý này.
submission-not-found = Không có báo cáo này.

## The CLI's record commands (add, show, list, update, delete).

hint-list-ids = `danvan { $kind } list` liệt kê các mã hiện có
hint-set-field = ghi bằng --{ $flag }, ví dụ --{ $flag } { $example }
hint-add-help = `danvan { $kind } add --help` liệt kê các trường cần ghi
hint-action-help = `danvan { $kind } { $action } --help` liệt kê mọi trường, kèm ví dụ
wrote-added = Đã thêm { $record } (phiên bản { $revision })
wrote-updated = Đã sửa { $record } (phiên bản { $revision })
wrote-deleted = Đã xóa { $record } (phiên bản { $revision })
wrote-detached = Đã gỡ tham chiếu khỏi { $record } (phiên bản { $revision })
wrote-nothing = Không có gì thay đổi: bản ghi đã đúng như vậy (phiên bản { $revision })
given-problems = Có { $count } lỗi trong dữ liệu đã nhập; chưa ghi gì:
nothing-to-add = chưa có gì để thêm
hint-nothing-to-add = ghi các trường bằng tham số (`danvan { $kind } add --help` liệt kê), --from TỆP (bản ghi dạng JSON), hoặc --set trường=giá_trị
record-exists-nothing-written = { $record } đã có (phiên bản { $revision }); chưa ghi gì
hint-record-exists = sửa bản ghi đó bằng `danvan { $kind } update { $id } --set TRƯỜNG=GIÁ_TRỊ` (hoặc `edit { $id }`), hoặc đặt mã khác bằng --id
show-builtin = { $record } (có sẵn trong mọi kho; thêm bản ghi cùng mã sẽ thay thế)
show-revision = { $record } (phiên bản { $revision })

## danvan due: reviews overdue or falling due.

due-summary = Mốc sơ kết, tổng kết tính đến { $as_of }, xem đến { $until }: { $overdue } mốc quá hạn, { $soon } mốc sắp đến hạn
due-overdue = quá hạn
due-soon = sắp đến hạn
due-in-days = còn { $count } ngày
due-span-too-long = khoảng thời gian xem trước quá dài
central = Trung ương

## A command line that cannot be read (clap's errors).

usage-unknown-argument = không có tham số { $arg }
usage-unknown-command = không có lệnh { $command }
usage-did-you-mean = có phải là { $suggestion }?
usage-invalid-value = giá trị “{ $value }” không dùng được cho { $arg }
usage-allowed-values = các giá trị được dùng: { $values }
usage-missing = thiếu tham số bắt buộc: { $args }
usage-conflict = { $arg } không dùng cùng với { $other }
usage-values-count = { $arg } nhận số giá trị khác với số đã ghi
usage-line = Cách dùng:
usage-more = Thêm --help để xem hướng dẫn đầy đủ.

## Lists of records (danvan <kind> list).

kinds-directive = văn bản chỉ đạo
kinds-conference = hội nghị
kinds-model = mô hình
kinds-indicator = chỉ tiêu
kinds-observation = số liệu
kinds-unit = đơn vị báo cáo
kinds-award = khen thưởng
kinds-form = biểu mẫu
kinds-submission = báo cáo của đơn vị
kinds-target = mục tiêu
list-count = { $shown }/{ $total } { $kinds }
list-count-builtin = { $shown }/{ $total } { $kinds } trong kho, và { $builtin } chỉ tiêu có sẵn (kho nào cũng có)
list-more = còn nữa: --cursor { $cursor }
built-in = có sẵn
inferred-mark = suy ra
nationwide = toàn quốc

## A record's card (danvan <kind> show).

review-due = hạn { $period }
review-held-on = đã tổ chức { $on } ({ $by })
review-held = đã tổ chức (chưa rõ ngày)
review-not-held = chưa tổ chức

## Imports (danvan import, the web app's import page).

import-problems = Có { $count } lỗi trong { $file }; chưa nhập gì:
import-same-record = { $first } và { $second } là cùng một bản ghi ({ $record }): mỗi bản ghi chỉ một dòng — hãy gộp hai dòng, hoặc ghi Mã khác nhau cho từng dòng
import-checking = đang kiểm tra và ghi { $count } bản ghi
import-what = { $created } tạo mới, { $updated } cập nhật, { $unchanged } không đổi
import-refused = Chưa nhập gì: { $errors } lỗi trong { $count } bản ghi
import-dry-run = Chạy thử: sẽ nhập { $count } bản ghi ({ $what }); chưa ghi gì
import-done = Đã nhập { $count } bản ghi ({ $what }), kho ở phiên bản { $revision }
plan-create = tạo mới
plan-update = cập nhật
plan-unchanged = không đổi
plan-more = … và { $count } bản ghi nữa (--json liệt kê mọi bản ghi được tạo mới hoặc cập nhật)
template-written = Đã ghi mẫu nhập { $kinds } vào { $file }: điền từng dòng (ô có danh sách thì chọn), rồi `danvan import { $file }`
import-template = Mẫu nhập (Excel)
import-template-help = Tệp Excel có sẵn tiêu đề cột, danh sách chọn cho tỉnh, chỉ tiêu, cấp đơn vị…, một dòng ví dụ và hướng dẫn. Cột Mã để trống thì danvan tự đặt mã.
import-template-kind = Loại bản ghi
import-template-download = Tải mẫu nhập

## A record's history in words: fields that no form shows, and values (web/history.rs).

value-yes = có
value-no = không
field-id = Mã
field-form = Biểu mẫu
field-form_revision = Phiên bản biểu mẫu
field-state = Trạng thái
field-steps = Các bước xử lý
field-action = Thao tác
field-at = Lúc
field-by = Người thực hiện
field-reason = Lý do
field-original = Bản gốc có chữ ký
field-file_name = Tên tệp
field-media_type = Loại tệp
field-sha256 = Mã băm SHA-256
field-asked = Nội dung yêu cầu
field-indicators = Chỉ tiêu
field-sections = Nội dung báo cáo
field-figures = Số liệu
field-key = Mã mục
field-title = Tiêu đề
field-text = Nội dung
field-optional = Không bắt buộc
field-unit = Đơn vị
field-period = Kỳ báo cáo
field-province = Tỉnh
field-level = Cấp
field-name = Tên
field-position = Chức vụ
field-connection_points = điểm cầu
field-mode = Hình thức
field-start_year = Năm bắt đầu
field-end_year = Năm kết thúc
field-due = Hạn
field-kind = Loại
field-label = Tên mốc
field-held = Đã tổ chức
field-on = Ngày
field-document = Văn bản
field-doc_type = Loại văn bản
field-number = Số, ký hiệu
field-issued_on = Ngày ban hành
field-issuer = Cơ quan ban hành
field-findings = Kết quả
field-value = Giá trị
field-numerator = Tử số
field-denominator = Mẫu số
field-date = Ngày
field-url = Địa chỉ
field-publisher = Cơ quan đăng
field-published_at = Ngày đăng
field-format = Hình thức
and-more = Xem tất cả

## The store and the reporting cycle in the CLI (init, validate, submission, completeness, approval).

store-created = Đã tạo kho dữ liệu danvan tại { $at }
demo-imported = Đã nhập { $count } bản ghi từ bộ dữ liệu mẫu ({ $warnings } cảnh báo), kho ở phiên bản { $revision }
store-summary = Kho { $at }: { $count } bản ghi, phiên bản { $revision }
validation-summary = Kiểm tra: { $errors } lỗi, { $warnings } cảnh báo
step-begun = Đã tạo { $record } (phiên bản { $revision })
step-attached = Đã đính kèm bản gốc có chữ ký vào { $record } (phiên bản { $revision })
step-sent = Đã gửi { $record } (phiên bản { $revision })
step-returned = Đã trả lại { $record } (phiên bản { $revision })
step-approved = Đã duyệt { $record } (phiên bản { $revision })
step-unlocked = Đã mở khóa { $record } (phiên bản { $revision })
step-written = Đã ghi nội dung { $record } (phiên bản { $revision })
sent-with = gửi kèm:
no-original = báo cáo { $id } chưa đính kèm bản gốc có chữ ký
hint-attach = đính kèm bằng `danvan submission attach { $id } TỆP`
section-as = --section { $given }: hãy viết MÃ_MỤC=NỘI_DUNG, ví dụ "ket-qua=Tổ chức 12 cuộc đối thoại"
hint-period = viết như 2025S1, 2025Q2, 202506, 2025 hoặc "6 tháng đầu năm 2025"
completeness-summary = { $period } — { $whose }: { $sent }/{ $owed } đã gửi ({ $approved } đã duyệt), tính đến { $today }
approved-mark = đã duyệt
due-on = hạn { $day }
queue-empty = Không có báo cáo nào chờ duyệt.
queue-count = { $count } báo cáo chờ duyệt:
queue-late = quá hạn
queue-resent = gửi lại
queue-sent = gửi { $at } bởi { $by }

## danvan user.

hint-user-password = đổi mật khẩu của người đó bằng `danvan user password TÊN_ĐĂNG_NHẬP`
user-added = đã thêm { $login } — { $name }, { $role } ({ $seat })
user-password-changed = đã đổi mật khẩu của { $login }; các phiên đăng nhập của người đó đã kết thúc
user-enabled = { $login } được đăng nhập lại
user-disabled = { $login } không còn được đăng nhập; các phiên đăng nhập của người đó đã kết thúc
users-none = chưa có người dùng nào: `danvan user add TÊN_ĐĂNG_NHẬP --name … --role … --province …` thêm một người
users-login = Tên đăng nhập
users-name = Họ tên
users-role = Vai trò
users-seat = Nơi công tác
users-signs-in = Được đăng nhập
users-disabled = không (đã khóa)
exported = Đã xuất { $count } bản ghi ra { $file }
in-the-store = (trong kho)

## The dashboard: each province's figures for the last closed half-year.

figures-by-province = Số liệu đã gửi theo tỉnh, thành phố
indicators-with-a-figure = chỉ tiêu có số liệu
without-a-figure = Chỉ tiêu chưa có số liệu

# store copy, repair, report (the CLI)
store-copy-not-empty = { $to } đã có { $count } bản ghi: chỉ chép vào một kho trống
hint-store-copy-not-empty = hãy chép vào một thư mục mới hoặc một cơ sở dữ liệu trống; chưa ghi gì
store-copied = Đã chép { $count } bản ghi từ { $from } sang { $to } ({ $parts }), phiên bản { $revision }
store-copy-checked = Đã kiểm tra: số bản ghi từng loại khớp nhau, SHA-256 { $sha }
kind-count = { $count } { $kinds }
repair-none = Kho { $store }: không thấy hư hỏng; không có gì phải sửa.
repair-found = thấy:
repair-would-be = sẽ:
repair-was = đã:
repair-lost = mất:
repair-backup = Các tệp bị thay đổi đã được chép sang { $backup } trước.
repair-dry-run = Chưa thay đổi gì (--dry-run).
repair-opens = Kho đã mở lại được.
report-wrote = Đã ghi báo cáo vào { $path }

# The report checker's rules: what (check-RULE) and why (check-why-RULE)
check-findings = Bộ kiểm tra báo cáo thấy { $count } điểm cần xem lại trước khi ký:
check-none = Bộ kiểm tra báo cáo không thấy điểm nào cần sửa.
check-place-data = Số liệu
check-strict-refused = Không ghi báo cáo vì bộ kiểm tra thấy { $count } điểm cần sửa (--strict)
hint-check-strict = sửa số liệu hoặc lời văn rồi lập lại; bỏ --strict để vẫn ghi báo cáo
check-breakdown = Các phần không cộng lại bằng tổng
check-why-breakdown = con số thành phần (theo loại, theo tỉnh) phải cộng lại bằng tổng, nếu không báo cáo tự mâu thuẫn
check-judgement = Đánh giá đạt, chưa đạt mà không có chỉ tiêu
check-why-judgement = chỉ nói được đạt hay chưa đạt khi có mục tiêu hoặc chỉ tiêu để so
check-held-and-due = Mốc sơ kết, tổng kết vừa đã tổ chức vừa còn đến hạn
check-why-held-and-due = mốc đã tổ chức thì không còn đến hạn: một trong hai ghi nhận sai
check-not-summable = Cộng những số liệu không cộng được
check-why-not-summable = tỷ lệ, bình quân, số dư cuối kỳ không cộng dồn được giữa các đơn vị hay các kỳ
check-level-sum = Tổng không bằng tổng của các tỉnh
check-why-level-sum = con số chung cộng từ các tỉnh phải bằng tổng của các tỉnh
check-unlike-comparison = So sánh hai con số khác loại
check-why-unlike-comparison = so với cùng kỳ chỉ có nghĩa khi cùng đơn vị tính và cùng phạm vi
check-unit-coverage = Thiếu số liệu của đơn vị
check-why-unit-coverage = tổng chỉ đủ khi mọi đơn vị phải báo cáo đã gửi; đơn vị chưa gửi phải được nêu tên
check-title = Tiêu đề không hợp với kỳ báo cáo
check-why-title = báo cáo tháng, quý không gọi là sơ kết hay tổng kết
check-incomplete-total = Tổng chưa đủ mà không nói rõ
check-why-incomplete-total = một tổng thiếu đơn vị phải nói là của bao nhiêu đơn vị trên tổng số phải báo cáo
check-shortcomings = Nói không có hạn chế trong khi hội nghị đã nêu
check-why-shortcomings = phần hạn chế phải phản ánh những hạn chế các hội nghị đã ghi nhận
check-national-coverage = Tổng toàn quốc không nói thiếu tỉnh
check-why-national-coverage = tổng chỉ gồm một số tỉnh phải nói là của bao nhiêu tỉnh
check-phase-figures = Báo cáo giai đoạn nói không có số liệu
check-why-phase-figures = số liệu các năm trong giai đoạn là số liệu của giai đoạn
check-number = Con số trong lời văn không có trong số liệu
check-why-number = mọi con số lãnh đạo ký phải lấy từ số liệu đã ghi nhận
check-missing-as-zero = Coi chưa có số liệu là không có
check-why-missing-as-zero = chưa có số liệu thì ghi “chưa có số liệu”, không ghi “không” hay “0”
check-period-code = Mã kỳ trong lời văn
check-why-period-code = lời văn ghi kỳ bằng chữ (“6 tháng đầu năm 2024”), không ghi mã (“2024S1”)
check-after-report-date = Sự việc sau ngày báo cáo
check-why-after-report-date = báo cáo chỉ thuật lại việc đã xảy ra đến ngày báo cáo, và chỉ gọi là quá hạn khi đã qua hạn
check-doubled-word = Một từ lặp hai lần
check-why-doubled-word = lỗi đánh máy mà người ký sẽ phải sửa
check-straight-quote = Dấu ngoặc kép thẳng
check-why-straight-quote = văn bản tiếng Việt dùng dấu ngoặc kép cong “…”
check-trailing-zeros = Số thập phân thừa số 0
check-why-trailing-zeros = viết 98%, không viết 98,00%
check-zero = Con số 0 trong lời văn
check-why-zero = không có thì nói bằng lời (“chưa tổ chức”), không viết “0 cuộc”
check-place-title = Tiêu đề
check-place-units = Đơn vị báo cáo
check-place-indicators = Chỉ tiêu
written-exported = Đã ghi { $count } mục cần viết vào { $path }: viết dưới mỗi tiêu đề rồi lập báo cáo với --written { $path }
issue-national-by-committee = báo cáo toàn quốc do Ban của Trung ương ban hành; Ban Thường vụ ban hành báo cáo của tỉnh
issue-committee-title = người ký thay mặt Ban Thường vụ cần ghi chức vụ (--signer-title, ví dụ "PHÓ BÍ THƯ")
issue-no-signer = chưa có tên người ký (--signer)

# --help (the CLI): each command's description, the options every command takes, the headings
help-usage = Cách dùng:
help-commands = Lệnh
help-options = Tùy chọn
help-arguments = Đối số
help-cmd = Công cụ dòng lệnh danvan cho các ban làm công tác dân vận: ghi nhận hội nghị, văn bản chỉ đạo, mô hình, số liệu; kiểm tra và lập báo cáo.
help-cmd-init = Tạo kho dữ liệu (với --demo: nạp sẵn bộ dữ liệu mẫu)
help-cmd-validate = Kiểm tra mọi bản ghi trong kho; trả mã 1 nếu có lỗi (4 nếu tệp hư hỏng)
help-cmd-repair = Sau khi báo hư hỏng: giữ những gì tệp còn, nêu những gì mất, sao lưu những gì thay đổi
help-cmd-due = Các mốc sơ kết, tổng kết văn bản chỉ đạo đã quá hạn hoặc sắp đến hạn, theo tỉnh
help-cmd-search = Tìm trong mọi bản ghi, không phân biệt dấu, chữ hoa và vị trí dấu thanh
help-cmd-report = Lập báo cáo sơ kết, tổng kết của một tỉnh hoặc toàn quốc: Markdown, HTML, DOCX, JSON, CSV
help-cmd-calendar = Lịch công tác (hội nghị, hạn sơ kết, tổng kết) thành tệp iCalendar cho ứng dụng lịch
help-cmd-serve = Chạy máy chủ API và trang web trên kho dữ liệu (lần đầu tạo kho với dữ liệu mẫu)
help-cmd-token = Mã truy cập API cho `danvan serve`
help-cmd-token-new = Tạo một mã truy cập ngẫu nhiên mới: in ra một lần và thêm mã băm của nó vào tệp cấu hình
help-cmd-import = Nhập bản ghi từ tệp, nhập hết hoặc không nhập gì: tài liệu xuất, bộ dữ liệu, JSON Lines, CSV, bảng tính
help-cmd-export = Xuất cả kho, hoặc những bản ghi khớp bộ lọc, dạng JSON, JSON Lines, CSV hoặc bảng tính
help-cmd-changes = Mọi lần tạo, sửa, xóa sau một phiên bản, theo thứ tự, kèm người làm và lý do
help-cmd-store = Cả kho dữ liệu: chép mọi bản ghi giữa một thư mục và một cơ sở dữ liệu PostgreSQL
help-cmd-store-copy = Chép mọi bản ghi từ FROM sang TO, chép hết hoặc không chép gì: mỗi bên là một thư mục hoặc một địa chỉ postgres://; TO phải trống
help-cmd-doc-number = Đọc và giải thích một số, ký hiệu văn bản như "Số: 05-ĐA/TU"
help-cmd-provinces = Các tỉnh, thành phố vào một ngày, kèm việc hợp nhất ngày 1/7/2025
help-cmd-check = Nạp một thư mục dữ liệu (như fixtures/demo), kiểm tra và liệt kê các mốc đến hạn
help-cmd-conference = Hội nghị: thêm, xem, liệt kê, sửa, xóa
help-cmd-directive = Văn bản chỉ đạo (nghị quyết, chỉ thị, kế hoạch, …): thêm, xem, liệt kê, sửa, xóa
help-cmd-directive-review-held = Ghi nhận một mốc sơ kết, tổng kết đã tổ chức mà không phải viết lại văn bản
help-cmd-model = Mô hình "Dân vận khéo": thêm, xem, liệt kê, sửa, xóa
help-cmd-indicator = Chỉ tiêu ngoài danh mục có sẵn: thêm, xem, liệt kê, sửa, xóa
help-cmd-observation = Số liệu (con số báo cáo của một kỳ): thêm, xem, liệt kê, sửa, xóa
help-cmd-unit = Đơn vị báo cáo (sở, ngành; huyện đến 30/6/2025; xã, phường, đặc khu; đảng bộ khối; mặt trận, đoàn thể; cụm thi đua): danh sách mà số liệu của đơn vị đối chiếu. Thêm, xem, liệt kê, sửa, xóa
help-cmd-award = Khen thưởng (bằng khen, giấy khen, cờ thi đua, …) tại hội nghị hoặc theo quyết định: thêm, xem, liệt kê, sửa, xóa
help-cmd-form = Biểu mẫu: mỗi cấp đơn vị báo cáo những chỉ tiêu và mục viết nào, mỗi kỳ, hạn khi nào
help-cmd-target = Mục tiêu do Ban đặt: giá trị một chỉ tiêu cần đạt ở một tỉnh hoặc toàn quốc trong một năm, nửa năm hoặc giai đoạn. Thêm, xem, liệt kê, sửa, xóa
help-cmd-submission = Báo cáo của đơn vị trong một kỳ: bắt đầu, viết, gửi, trả lại, duyệt, mở khóa (và xem, liệt kê, lịch sử)
help-cmd-submission-begin = Bắt đầu báo cáo của một đơn vị theo biểu mẫu cho một kỳ: bản nháp gồm những gì biểu mẫu hỏi lúc này
help-cmd-submission-write = Viết các mục: `--section "ket-qua=Tổ chức 12 cuộc đối thoại …"` (lặp lại được)
help-cmd-submission-attach = Đính kèm bản gốc đã ký (PDF hoặc DOCX), lưu theo mã SHA-256; thay bản trước cho đến khi gửi
help-cmd-submission-original = Ghi bản gốc đã ký ra tệp (hoặc ra màn hình với `--out -`)
help-cmd-submission-send = Gửi lên Ban: kiểm tra trước; lỗi thì không gửi được, cảnh báo cần --why
help-cmd-submission-return = Trả lại đơn vị, nêu cần sửa gì (--why)
help-cmd-submission-approve = Duyệt, khóa số liệu của đơn vị trong kỳ
help-cmd-submission-unlock = Mở khóa một báo cáo đã duyệt, nêu lý do (--why)
help-cmd-completeness = Mọi báo cáo phải nộp trong một kỳ và tình hình từng báo cáo: đúng hạn, trễ hạn, chưa gửi, bị trả lại, đã duyệt
help-cmd-approval = Việc chờ Ban: các báo cáo đã gửi, chưa trả lại hoặc duyệt
help-cmd-approval-queue = Các báo cáo gửi lên Ban đang chờ trả lại hoặc duyệt, cũ nhất trước
help-cmd-user = Người dùng trang web: thêm (của Ban hoặc của đơn vị, với vai trò), liệt kê, đặt mật khẩu, khóa, mở khóa
help-cmd-user-add = Thêm người dùng trang web: tên đăng nhập, họ tên, vai trò và nơi làm việc — Ban của một tỉnh, Ban Trung ương hoặc một đơn vị
help-cmd-user-list = Mọi người dùng: tên đăng nhập, họ tên, vai trò, nơi làm việc, có được đăng nhập không
help-cmd-user-password = Đặt mật khẩu (nhập hai lần, hoặc từ --password-stdin): các phiên đăng nhập của người đó kết thúc
help-cmd-user-disable = Không cho người dùng đăng nhập (các phiên kết thúc; lịch sử vẫn giữ tên)
help-cmd-user-enable = Cho người dùng đã bị khóa đăng nhập lại
help-cmd-ingest = Đọc bài viết, báo cáo (văn bản, HTML, DOCX, PDF) thành các bản ghi đề xuất, mỗi giá trị kèm câu chữ nói ra nó; chỉ ghi những gì được chấp nhận (--review, --yes)
help-cmd-completions = In tập lệnh tự hoàn thành cho shell: bash, zsh, fish, powershell hoặc elvish
help-cmd-add = Thêm một bản ghi theo từng trường (cờ có kiểu, nhận cả cách viết tiếng Việt), và/hoặc từ một tệp JSON
help-cmd-new = Nhập một bản ghi có hướng dẫn trên màn hình: hỏi lần lượt từng trường (liệt kê lựa chọn, kiểm tra ngay)
help-cmd-show = Xem một bản ghi và phiên bản của nó
help-cmd-list = Liệt kê bản ghi, có lọc và sắp xếp
help-cmd-edit = Sửa JSON của một bản ghi trong $VISUAL hoặc $EDITOR; kiểm tra trước khi lưu, mở lại kèm lỗi nếu chưa đúng
help-cmd-update = Sửa các trường của một bản ghi: cờ có kiểu và --set thay một trường, --clear xóa một trường
help-cmd-history = Mọi phiên bản của một bản ghi: ai sửa, khi nào, vì sao, và từng trường cũ → mới
help-cmd-delete = Xóa một bản ghi
help-arg-store = Kho dữ liệu: một thư mục, hoặc một cơ sở dữ liệu PostgreSQL dạng postgres://user:password@host/db [mặc định: $DANVAN_STORE, rồi ./danvan-data]
help-arg-json = In JSON cho chương trình khác thay cho bảng
help-arg-quiet = In ít hơn: chỉ kết quả và lỗi
help-arg-verbose = In nhiều hơn: kho đã dùng và thời gian lệnh chạy
help-arg-lock-timeout = Một lần ghi chờ người ghi khác (tiến trình khác, máy chủ khác) xong trong bao lâu, tính bằng giây
help-arg-actor = Người thực hiện thay đổi, như lịch sử ghi lại [mặc định: $DANVAN_ACTOR, rồi người dùng hệ điều hành]
help-arg-reason = Lý do: ghi kèm các thay đổi trong lịch sử
help-arg-token = Ghi với tư cách người giữ mã truy cập API này: tên của mã là người thực hiện, và mã gắn với tỉnh nào chỉ sửa được bản ghi của tỉnh đó, như qua máy chủ (mã được tra trong --token-config)
help-arg-lang = Ngôn ngữ: vi (tiếng Việt) hoặc en (tiếng Anh). Mặc định theo $DANVAN_LANG, rồi locale, rồi vi; báo cáo và lịch viết bằng tiếng Việt trừ khi --lang en
help-arg-token-config = Tệp cấu hình của máy chủ liệt kê --token
help-arg-help = In trợ giúp này
help-arg-version = In phiên bản
help-fields = Các trường (nhận cách viết tiếng Việt: ngày 22/6/2023, số 1.272, kỳ "6 tháng đầu năm 2024")
help-any-field = Trường bất kỳ
help-cmd-man = In trang hướng dẫn man (roff); `cargo xtask man` ghi nó vào target/man/danvan.1
help-for-example = ví dụ
help-arg-from = Một tệp JSON chứa bản ghi (- để đọc từ đầu vào chuẩn); các cờ áp dụng sau nó
help-arg-set = Đặt một trường theo tên hoặc nhãn tiếng Việt, đọc theo kiểu của trường: --set reviewed_period=2022, --set "Kỳ sơ kết=6 tháng đầu năm 2024"
help-arg-add = Thêm một mục vào trường danh sách: --add "chairs=Nguyễn Văn A, Bí thư Huyện ủy"
help-arg-remove = Bỏ các mục khớp khỏi trường danh sách: --remove "chairs=Nguyễn Văn A"
help-arg-clear = Xóa giá trị của một trường, theo tên hoặc nhãn tiếng Việt: --clear stated, --clear "Địa điểm"
help-arg-report--period = Kỳ báo cáo: 2024S1, 2024, 2021-2025, hoặc viết bằng chữ ("6 tháng đầu năm 2024")
help-arg-report--province = Tỉnh, thành phố (mã hoặc tên); bỏ trống: toàn quốc
help-arg-report--as-recorded = Tính bản ghi cho đúng tỉnh ghi trong đó, không cho tỉnh kế thừa sau hợp nhất 2025 [mặc định: như vậy với báo cáo lập trước 1/7/2025]
help-arg-report--cut-off = Dùng kỳ chốt số liệu theo Nghị định 09/2019 (ngày 15 tháng trước đến ngày 14)
help-arg-report--date = Ngày của báo cáo, cho dòng địa danh, ngày tháng [mặc định: hôm nay]
help-arg-report--out = Ghi ra tệp này thay vì ra màn hình
help-arg-report--format = markdown, html, docx, json (số liệu) hoặc csv (bảng chỉ tiêu) [mặc định: theo đuôi tệp --out, nếu không thì markdown]
help-arg-report--order = Bảng toàn quốc theo tỉnh: theo thứ tự tên, hoặc con số tốt nhất trước
help-arg-report--explain = Thay cho báo cáo, cho biết mỗi con số được tính thế nào: các bản ghi làm căn cứ, kỳ so sánh và mục tiêu
help-arg-report--include-pending = Tính cả số liệu đơn vị đã gửi nhưng chưa được duyệt, có ghi "số liệu chưa được duyệt" [mặc định: chỉ số liệu đã duyệt]
help-arg-report--strict = Không ghi báo cáo khi bộ kiểm tra thấy điểm cần sửa (các điểm vẫn được in ra)
help-arg-report--template = Đề cương: hien-hanh (mặc định), dinh-ky (báo cáo định kỳ theo đề cương của Ban Dân vận Trung ương), so-ket-van-ban, ban-tin, hoặc một tệp TOML của Ban
help-arg-report--written = Các mục Ban tự viết (tệp Markdown, mỗi mục một tiêu đề "## mã"), đặt vào đúng chỗ; con số trong đó không có trong số liệu sẽ bị nêu
help-arg-report--export-written = Thay cho báo cáo, ghi các mục cần viết của đề cương ra tệp để điền, rồi đọc lại bằng --written
help-arg-report--number = Ban hành báo cáo với số này trong sổ văn bản ("Số 45-BC/BDVTU"), kèm --signer; không có: bản dự thảo
help-arg-report--issuer = Cơ quan ban hành: ban (Ban, "-BC/BDVTU", Trưởng ban ký) hoặc thuong-vu (Ban Thường vụ, "-BC/TU", "T/M BAN THƯỜNG VỤ")
help-arg-report--signer = Người ký, ví dụ "Hà Thị Bích Hạnh"
help-arg-report--signer-title = Chức vụ người ký, ví dụ "PHÓ TRƯỞNG BAN" [mặc định với Ban: TRƯỞNG BAN; bắt buộc với Ban Thường vụ]
help-arg-report--recipients = Nơi nhận, kèm mục đích trong ngoặc (lặp lại được), ví dụ "Ban Dân vận Trung ương (để báo cáo)"; "Lưu Văn phòng" được thêm cuối
help-arg-list--province = Tỉnh, thành phố (mã hoặc tên), theo bản đồ hiện nay trừ khi --as-recorded
help-arg-list--as-recorded = Chỉ tính bản ghi cho đúng tỉnh ghi trong đó, không cho tỉnh kế thừa sau hợp nhất 2025
help-arg-list--period = Kỳ: 2024, 2024S1, 2024Q2, 202406, 2021-2025 hoặc viết bằng chữ ("6 tháng đầu năm 2024")
help-arg-list--overlapping = Với --period: cả bản ghi giao với kỳ, không chỉ bản ghi nằm trong kỳ
help-arg-list--reviewed-period = Hội nghị sơ kết, tổng kết kỳ này hoặc một phần của nó, bất kể ngày họp
help-arg-list--since = Bản ghi từ ngày này trở đi (22/6/2023, "ngày 22 tháng 6 năm 2023")
help-arg-list--until = Bản ghi đến ngày này
help-arg-list--kind = Hội nghị loại này: sơ kết 6 tháng, tổng kết năm, sơ kết, tổng kết văn bản, chuyên đề, tọa đàm, đối thoại, tập huấn
help-arg-list--field = Mô hình thuộc lĩnh vực này: kinh tế, văn hóa – xã hội, quốc phòng – an ninh, xây dựng hệ thống chính trị, khác
help-arg-list--indicator = Số liệu của chỉ tiêu này
help-arg-list--text = Chữ phải có (không phân biệt dấu)
help-arg-list--sort = Sắp theo ngày (date), mã (id), tên (title, thứ tự tiếng Việt), phiên bản (revision) hoặc độ khớp (relevance, với --text)
help-arg-list--desc = Đảo thứ tự
help-arg-list--limit = Số bản ghi hiện ra
help-arg-list--cursor = Tiếp theo sau một trang trước (giá trị `next` nó in ra)
