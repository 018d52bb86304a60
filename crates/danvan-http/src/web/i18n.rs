//! The interface's words: English keys, Vietnamese by default (`t("Sign in")` in a template).

use minijinja::State;

/// Vietnamese for each English key the templates use.
const VI: &[(&str, &str)] = &[
    ("Sign in", "Đăng nhập"),
    ("Read a text", "Nhập từ văn bản"),
    ("Written:", "Đã ghi:"),
    ("already recorded", "đã có, chỉ liên kết"),
    ("Read another text", "Đọc văn bản khác"),
    ("Nothing was written.", "Chưa ghi gì."),
    (
        "Each value is shown with the words it stands on, highlighted in the text; a value worked out rather than read says from what. Correct a value in its box, fill in what the text does not say, tick what to write.",
        "Mỗi giá trị kèm câu chữ làm căn cứ, được tô sáng trong văn bản; giá trị suy ra (không đọc trực tiếp) ghi rõ suy ra từ đâu. Sửa giá trị trong ô, điền những gì văn bản không nêu, đánh dấu những bản ghi cần ghi.",
    ),
    ("The text", "Văn bản"),
    ("Sentences nothing was taken from", "Câu chưa dùng"),
    ("Proposed records", "Bản ghi đề xuất"),
    (
        "The text states no record danvan can read.",
        "Văn bản không nêu bản ghi nào danvan đọc được.",
    ),
    ("Directive", "Văn bản chỉ đạo"),
    ("Figure", "Số liệu"),
    ("Model", "Mô hình"),
    ("Commendation", "Khen thưởng"),
    ("Record", "Bản ghi"),
    ("Already recorded:", "Đã có trong kho:"),
    ("Write this record", "Ghi bản ghi này"),
    ("inferred:", "suy ra:"),
    (
        "The text does not say; fill it in to write this record.",
        "Văn bản không nêu; điền vào để ghi bản ghi này.",
    ),
    ("Write the ticked records", "Ghi các bản ghi đã chọn"),
    (
        "The text of an article, a report or a decision",
        "Nội dung bài báo, báo cáo hoặc quyết định",
    ),
    (
        "Nothing is written until you choose what to write.",
        "Chưa ghi gì cho đến khi anh/chị chọn bản ghi cần ghi.",
    ),
    (
        "Address of the article (optional)",
        "Địa chỉ bài viết (không bắt buộc)",
    ),
    (
        "The site names the province when the text does not.",
        "Trang đăng tin cho biết tỉnh, thành phố khi văn bản không nêu.",
    ),
    ("Day published (optional)", "Ngày đăng (không bắt buộc)"),
    (
        "The year of a day written without one (“Chiều 14/3”) is taken from it.",
        "Năm của ngày viết không kèm năm (“Chiều 14/3”) lấy theo ngày đăng.",
    ),
    ("Read the text", "Đọc văn bản"),
    ("Sign out", "Đăng xuất"),
    ("Access token", "Mã truy cập"),
    ("Login", "Tên đăng nhập"),
    ("Users", "Người dùng"),
    ("Waiting for approval", "Chờ duyệt"),
    ("Enter the figures", "Nhập số liệu"),
    ("The signed original", "Bản gốc có chữ ký"),
    ("Download", "Tải về"),
    (
        "No signed original is attached yet.",
        "Chưa đính kèm bản gốc có chữ ký.",
    ),
    (
        "The signed report (PDF or DOCX)",
        "Báo cáo đã ký (PDF hoặc DOCX)",
    ),
    ("Attach", "Đính kèm"),
    ("Numerator", "Tử số"),
    ("Denominator", "Mẫu số"),
    ("Save the figures", "Lưu số liệu"),
    ("Sent", "Gửi lúc"),
    ("late", "quá hạn"),
    ("sent again after a return", "gửi lại sau khi bị trả lại"),
    (
        "The people who sign in to the board's web app: the board's own, and its units'. A unit's user sees and sends only the unit's reports; approvers, leaders and administrators of the board return and approve them.",
        "Những người đăng nhập ứng dụng của Ban: cán bộ của Ban và của các đơn vị. Tài khoản của đơn vị chỉ xem và gửi báo cáo của đơn vị mình; người duyệt, lãnh đạo và quản trị của Ban trả lại và duyệt báo cáo.",
    ),
    ("Add a user", "Thêm người dùng"),
    (
        "Lowercase letters without diacritics, digits, dots and dashes: dinh-hoa.nhaplieu",
        "Chữ thường không dấu, chữ số, dấu chấm và gạch nối: dinh-hoa.nhaplieu",
    ),
    ("Full name", "Họ và tên"),
    ("Role", "Vai trò"),
    ("Seat", "Nơi công tác"),
    ("First password", "Mật khẩu ban đầu"),
    (
        "At least 10 characters. Give it to the person in person; they can sign in at once.",
        "Ít nhất 10 ký tự. Trao trực tiếp cho người dùng; họ có thể đăng nhập ngay.",
    ),
    ("Add", "Thêm"),
    (
        "Users of the board and its units",
        "Người dùng của Ban và các đơn vị",
    ),
    ("No user yet.", "Chưa có người dùng nào."),
    ("may sign in", "được đăng nhập"),
    ("disabled", "đã khóa"),
    ("Sign-in", "Đăng nhập"),
    (
        "New password (leave empty to keep)",
        "Mật khẩu mới (để trống nếu giữ nguyên)",
    ),
    ("Password", "Mật khẩu"),
    ("Sign in with an access token", "Đăng nhập bằng mã truy cập"),
    ("Sign in with the token", "Đăng nhập bằng mã"),
    (
        "The login or the password is wrong.",
        "Tên đăng nhập hoặc mật khẩu không đúng.",
    ),
    (
        "The token your administrator gave you (danvan token new).",
        "Mã do quản trị viên cấp cho anh/chị (danvan token new).",
    ),
    (
        "That token is not known to this server.",
        "Mã truy cập không đúng.",
    ),
    ("Dashboard", "Tổng quan"),
    ("Conferences", "Hội nghị"),
    ("Directives", "Văn bản chỉ đạo"),
    ("Models", "Mô hình"),
    ("Indicators", "Chỉ tiêu"),
    ("Observations", "Số liệu"),
    ("Reporting units", "Đơn vị báo cáo"),
    ("Commendations", "Khen thưởng"),
    ("Forms", "Biểu mẫu"),
    ("Reports owed", "Tình hình gửi báo cáo"),
    ("The unit's figures", "Số liệu của đơn vị"),
    ("Indicator", "Chỉ tiêu"),
    ("This period", "Kỳ này"),
    ("Previous period", "Kỳ trước"),
    (
        "The period is not over: no province is counted as not having sent.",
        "Kỳ báo cáo chưa kết thúc: chưa tính tỉnh, thành phố nào là chưa gửi số liệu.",
    ),
    ("Reporting unit", "Đơn vị báo cáo"),
    ("Standing", "Tình trạng"),
    ("Due", "Hạn gửi"),
    ("Report", "Báo cáo"),
    ("approved", "đã duyệt"),
    ("Open", "Mở"),
    ("Begin", "Bắt đầu nhập"),
    (
        "No report is owed for this period: no form applies to it.",
        "Kỳ này không có báo cáo phải gửi: chưa có biểu mẫu áp dụng.",
    ),
    ("Send, return, approve", "Gửi, trả lại, duyệt"),
    ("Step", "Thao tác"),
    ("Send to the board", "Gửi lên Ban"),
    ("Return to the unit", "Trả lại đơn vị"),
    ("Approve", "Duyệt"),
    ("Unlock", "Mở khóa"),
    (
        "Why (needed to return or unlock; explains warnings sent)",
        "Lý do (bắt buộc khi trả lại hoặc mở khóa; giải trình cảnh báo khi gửi)",
    ),
    ("Not saved", "Chưa lưu được"),
    ("Submissions", "Báo cáo của đơn vị"),
    ("Reports", "Báo cáo"),
    ("Whole country", "Toàn quốc"),
    ("Reviews overdue", "Mốc sơ kết, tổng kết quá hạn"),
    ("Reviews due", "Mốc sơ kết, tổng kết sắp đến hạn"),
    ("Latest conferences", "Hội nghị gần đây"),
    ("Indicators against target", "Chỉ tiêu so với mục tiêu"),
    ("Completeness", "Mức độ đầy đủ số liệu"),
    ("Indicators with no figure yet", "Chỉ tiêu chưa có số liệu"),
    (
        "Provinces that have sent nothing",
        "Tỉnh, thành phố chưa gửi số liệu",
    ),
    (
        "Every indicator has a figure.",
        "Tất cả chỉ tiêu đã có số liệu.",
    ),
    (
        "Every province has sent figures.",
        "Tất cả tỉnh, thành phố đã gửi số liệu.",
    ),
    ("None.", "Không có."),
    ("days late", "ngày quá hạn"),
    ("days left", "ngày còn lại"),
    ("due", "hạn"),
    ("Search", "Tìm kiếm"),
    (
        "Search (diacritics optional)",
        "Tìm kiếm (gõ có dấu hoặc không dấu)",
    ),
    ("Province", "Tỉnh, thành phố"),
    ("All", "Tất cả"),
    ("Period", "Kỳ"),
    ("Filter", "Lọc"),
    ("New", "Thêm mới"),
    ("Edit", "Sửa"),
    ("Save", "Lưu"),
    ("Cancel", "Hủy"),
    ("ID", "Mã"),
    ("Title", "Tên"),
    ("Date", "Ngày"),
    ("records", "bản ghi"),
    ("Next page", "Trang sau"),
    ("No records match.", "Không có bản ghi phù hợp."),
    ("History", "Lịch sử thay đổi"),
    ("Revision", "Phiên bản"),
    ("When", "Thời gian"),
    ("Who", "Người sửa"),
    ("Why", "Lý do"),
    ("Changes", "Thay đổi"),
    ("created", "tạo mới"),
    ("updated", "cập nhật"),
    ("deleted", "xóa"),
    ("The record as stored (JSON)", "Bản ghi được lưu (JSON)"),
    (
        "Reason for the change (optional)",
        "Lý do thay đổi (không bắt buộc)",
    ),
    (
        "Please correct the problems marked below; nothing was saved.",
        "Vui lòng sửa các mục được đánh dấu bên dưới; chưa có gì được lưu.",
    ),
    (
        "Someone changed this record while you were editing it. What changed:",
        "Bản ghi đã được người khác sửa trong khi anh/chị đang sửa. Những thay đổi:",
    ),
    (
        "Your form is shown again with your values; save again to keep them.",
        "Biểu mẫu hiển thị lại với nội dung anh/chị đã nhập; bấm Lưu lần nữa để giữ.",
    ),
    ("Saved.", "Đã lưu."),
    ("Read only", "Chỉ xem"),
    ("e.g.", "ví dụ"),
    ("Language", "Ngôn ngữ"),
    ("Report", "Báo cáo"),
    ("Scope", "Phạm vi"),
    ("Preview", "Xem trước"),
    ("Download", "Tải về"),
    ("Show", "Xem"),
    ("Report preview", "Xem trước báo cáo"),
    ("Value", "Giá trị"),
    ("Target", "Mục tiêu"),
    ("Status", "Đánh giá"),
    ("Trend", "Xu hướng"),
    ("Not allowed", "Không có quyền"),
    ("Not found", "Không tìm thấy"),
    ("Back to the dashboard", "Về trang tổng quan"),
    ("Signed in as", "Đăng nhập với"),
    ("Skip to content", "Bỏ qua, đến nội dung chính"),
    ("Import", "Nhập dữ liệu"),
    ("Reviews", "Các mốc sơ kết, tổng kết"),
    ("held", "đã tổ chức"),
    ("Record it as held", "Ghi nhận đã tổ chức"),
    (
        "Held on (a day, or the month, quarter or half-year)",
        "Ngày tổ chức (hoặc tháng, quý, 6 tháng)",
    ),
    ("Held by", "Cơ quan tổ chức"),
    ("The source gives no date", "Nguồn không nêu ngày"),
    ("date not known", "chưa rõ ngày"),
    (
        "What the review found (one per line)",
        "Kết quả sơ kết, tổng kết (mỗi ý một dòng)",
    ),
    ("At the conference (its ID)", "Tại hội nghị (mã hội nghị)"),
    ("The document that records it", "Văn bản ghi nhận"),
    ("Where it was published (address)", "Nơi đăng tin (địa chỉ)"),
    ("Conference", "Hội nghị"),
    ("Imported", "Đã nhập"),
    ("unchanged", "không đổi"),
    ("Import another file", "Nhập tệp khác"),
    (
        "records outside your provinces are unchanged and left as they are.",
        "bản ghi ngoài phạm vi tỉnh, thành phố của tài khoản không thay đổi và được giữ nguyên.",
    ),
    (
        "Nothing was imported. Correct these in the file and upload it again:",
        "Chưa nhập bản ghi nào. Vui lòng sửa các lỗi sau trong tệp rồi tải lên lại:",
    ),
    ("Dry run", "Kiểm tra trước"),
    ("records would be written", "bản ghi sẽ được ghi"),
    ("Warnings", "Cảnh báo"),
    ("Where", "Vị trí"),
    ("Action", "Thao tác"),
    ("Import these records", "Nhập các bản ghi này"),
    (
        "A CSV file or a workbook (.xlsx, .xls, .ods)",
        "Tệp CSV hoặc bảng tính (.xlsx, .xls, .ods)",
    ),
    (
        "Headers in Vietnamese or English, as danvan export writes them; a workbook has a sheet per kind.",
        "Tiêu đề cột bằng tiếng Việt hoặc tiếng Anh như tệp xuất của danvan; bảng tính có mỗi loại bản ghi một trang.",
    ),
    (
        "Kind of record (for a CSV file not named after its kind)",
        "Loại bản ghi (với tệp CSV không đặt tên theo loại)",
    ),
    ("From the file's name", "Theo tên tệp"),
    ("Check the file", "Kiểm tra tệp"),
];

/// Vietnamese for the phrases of `danvan_entry`'s messages (which are English, as the CLI's
/// are), longest first so that a phrase inside another is not replaced first.
const MESSAGES: &[(&str, &str)] = &[
    // The registry of reporting units (danvan_core::unit).
    (
        " is not a registered unit of ",
        " không có trong danh sách đơn vị báo cáo của ",
    ),
    ("; did you mean ", "; có phải là "),
    (
        "; add it to the registry first",
        "; hãy thêm đơn vị vào danh sách đơn vị báo cáo trước",
    ),
    (
        " is already registered as unit ",
        " đã có trong danh sách là đơn vị ",
    ),
    (
        " for some of the same days; give one unit one record, with other names as aliases",
        " trong cùng thời gian; mỗi đơn vị chỉ có một bản ghi, các tên gọi khác ghi ở mục Tên khác",
    ),
    // What an upload may hold (danvan_entry::Exceeded), each phrase between its numbers.
    (
        "the workbook would take more than ",
        "bảng tính khi mở ra sẽ chiếm hơn ",
    ),
    (
        " MB once opened: it is not a table of records as Excel or LibreOffice saves one; save the sheets again, or split the file",
        " MB: đây không phải là một bảng số liệu như Excel hay LibreOffice lưu; hãy lưu lại các trang tính, hoặc chia nhỏ tệp",
    ),
    ("the file holds more than ", "tệp có hơn "),
    (
        " rows of data: split it into smaller files",
        " hàng số liệu: hãy chia thành các tệp nhỏ hơn",
    ),
    ("the CSV file", "tệp CSV"),
    (": its cells span ", ": các ô có dữ liệu trải trên "),
    (" rows by ", " hàng × "),
    (" columns, more than the ", " cột, nhiều hơn "),
    (
        " cells a file may hold: delete the stray cells far from the table, or split the file",
        " ô mà một tệp được phép có: hãy xóa các ô lạc xa bảng, hoặc chia nhỏ tệp",
    ),
    (
        "the workbook's table of shared strings holds more than ",
        "bảng chuỗi dùng chung của bảng tính có hơn ",
    ),
    (
        " entries: it is not a table of records as Excel or LibreOffice saves one; save it again, or split the file",
        " mục: đây không phải là một bảng số liệu như Excel hay LibreOffice lưu; hãy lưu lại, hoặc chia nhỏ tệp",
    ),
    (
        "a binary workbook (Excel 97–2003 .xls, or .xlsb) cannot be checked before it is opened: save it as an Excel workbook (.xlsx) and send that",
        "không thể kiểm tra bảng tính nhị phân (Excel 97–2003 .xls, hoặc .xlsb) trước khi mở: hãy lưu thành tệp Excel Workbook (.xlsx) rồi gửi tệp đó",
    ),
    (
        "reading the file was stopped before it ended (it took too long)",
        "việc đọc tệp đã dừng giữa chừng (mất quá nhiều thời gian)",
    ),
    (
        "not a workbook Excel or LibreOffice can open",
        "không phải là bảng tính Excel hay LibreOffice mở được",
    ),
    (
        "is not a province; write its name (Thái Nguyên), slug (thai-nguyen) or code (19)",
        "không phải là tỉnh, thành phố; hãy viết tên (Thái Nguyên), mã chữ (thai-nguyen) hoặc mã số (19)",
    ),
    (
        "is not an ID: lowercase letters, digits, '-', '_' and '.', e.g.",
        "không phải là mã hợp lệ (chỉ gồm chữ thường không dấu, chữ số, '-', '_' và '.'), ví dụ",
    ),
    (
        "(the label, a colon, the year or period it is due)",
        "(tên mốc, dấu hai chấm, rồi năm hoặc kỳ đến hạn)",
    ),
    (
        "— choose online or hybrid for connection points",
        "— hãy chọn hình thức trực tuyến hoặc kết hợp để ghi số điểm cầu",
    ),
    (
        "is not a number of connection points",
        "không phải là số điểm cầu",
    ),
    (
        "names no document number; write it as",
        "không có số, ký hiệu văn bản; hãy viết như",
    ),
    (
        "is not a document type; write it as",
        "không phải là loại văn bản; hãy viết như",
    ),
    (
        "is not a document citation",
        "không phải là trích dẫn văn bản",
    ),
    (
        "is not a document number; write it as",
        "không phải là số, ký hiệu văn bản; hãy viết như",
    ),
    (
        "is not a whole number; write it as",
        "không phải là số nguyên; hãy viết như",
    ),
    (
        "is not a number; write it as",
        "không phải là số; hãy viết như",
    ),
    (
        "is not a figure; write it as",
        "không phải là số liệu; hãy viết như",
    ),
    (
        "is not a date; write it as",
        "không phải là ngày; hãy viết như",
    ),
    (
        "has no year; write the year (14/3/2025) and, when the text does not state it, mark it as inferred:",
        "không có năm; hãy ghi năm (14/3/2025) và, khi văn bản không nêu năm, đánh dấu ở mục Giá trị suy ra:",
    ),
    (
        "is not a year; write it as",
        "không phải là năm; hãy viết như",
    ),
    (
        "is not a period; write it as",
        "không phải là kỳ; hãy viết như",
    ),
    (
        "is not an award; write it as",
        "không phải là hình thức khen thưởng; hãy viết như",
    ),
    (
        "is not a phase; write it as",
        "không phải là giai đoạn; hãy viết như",
    ),
    (
        "is not a review; write it as",
        "không phải là mốc sơ kết, tổng kết; hãy viết như",
    ),
    (
        "is not a day or a period; write it as",
        "không phải là ngày hoặc kỳ; hãy viết như",
    ),
    (
        "is needed (or --conference): when was it held?",
        "cần ghi (hoặc mã hội nghị): tổ chức khi nào?",
    ),
    (
        "the file is neither a PDF nor a DOCX: attach the signed report as PDF or DOCX",
        "tệp không phải PDF hay DOCX: hãy đính kèm báo cáo đã ký dạng PDF hoặc DOCX",
    ),
    (
        "the report is sent: the board returns it before its original changes",
        "báo cáo đã gửi: Ban trả lại thì mới thay được bản gốc",
    ),
    (
        "the report is sent: the board returns it before its figures change",
        "báo cáo đã gửi: Ban trả lại thì mới sửa được số liệu",
    ),
    (
        "the report's form does not ask this indicator",
        "biểu mẫu của báo cáo không có chỉ tiêu này",
    ),
    (
        "the file is empty or larger than 16 MiB",
        "tệp rỗng hoặc lớn hơn 16 MiB",
    ),
    ("no figure entered for", "chưa nhập số liệu"),
    ("locked: submission", "đã khóa: báo cáo"),
    (", period ", ", kỳ "),
    (", approved by ", ", đã được duyệt bởi "),
    (
        "an approver must unlock it (with a reason) first",
        "cần người duyệt mở khóa (ghi lý do) trước khi sửa",
    ),
    ("is not written", "chưa được viết"),
    ("the section", "mục"),
    (
        "say why: a return names what to fix, an unlock why it is reopened",
        "cần ghi lý do: trả lại thì nêu việc cần sửa, mở khóa thì nêu vì sao",
    ),
    (
        "warnings remain: send them with an explanation",
        "còn cảnh báo: hãy gửi kèm giải trình",
    ),
    (
        "this unit's submission of the form for the period is already begun",
        "báo cáo của đơn vị theo biểu mẫu này cho kỳ này đã được tạo",
    ),
    ("is not one of:", "không thuộc các giá trị:"),
    (
        "Paste the text of an article or a report first.",
        "Hãy dán nội dung bài báo hoặc báo cáo trước.",
    ),
    ("is not true or false", "không phải là có hoặc không"),
    ("write it as", "hãy viết như"),
    ("(e.g. ", "(ví dụ "),
    (" or ", " hoặc "),
];

/// A message of `danvan_entry` in the interface's language: Vietnamese phrase by phrase (what
/// was typed and the examples stay as they are).
pub(crate) fn message(text: &str, lang: super::session::Lang) -> String {
    if lang == super::session::Lang::En {
        return text.to_string();
    }
    let mut out = text.to_string();
    for (en, vi) in MESSAGES {
        out = out.replace(en, vi);
    }
    out
}

/// `key` in the language of the page being rendered (its `lang` variable).
pub(crate) fn t(state: &State<'_, '_>, key: &str) -> String {
    let vi = state
        .lookup("lang")
        .is_none_or(|l| l.as_str() != Some("en"));
    if vi {
        word(key).to_string()
    } else {
        key.to_string()
    }
}

/// The Vietnamese of `key` (the key itself when there is none).
pub(crate) fn word(key: &str) -> &str {
    VI.iter().find(|(k, _)| *k == key).map_or(key, |(_, v)| v)
}

#[cfg(test)]
mod tests {
    use super::super::session::Lang;

    #[test]
    fn the_readers_messages_read_in_vietnamese() {
        let m = danvan_entry::date("31/11/2026").unwrap_err();
        let vi = super::message(&m, Lang::Vi);
        assert!(
            vi.starts_with("không phải là ngày; hãy viết như 22/6/2023"),
            "{vi}"
        );
        assert!(!vi.contains(" or "), "{vi}");
        assert_eq!(super::message(&m, Lang::En), m);
        let m = danvan_entry::parse(danvan_entry::Shape::Province, "Atlantis").unwrap_err();
        assert!(
            super::message(&m, Lang::Vi).starts_with("không phải là tỉnh"),
            "{m}"
        );
    }

    #[test]
    fn every_key_used_in_a_template_has_vietnamese() {
        for (name, source) in super::super::TEMPLATES {
            for part in source.split("t(\"").skip(1) {
                let key = part.split("\")").next().unwrap_or_default();
                assert!(
                    super::VI.iter().any(|(k, _)| *k == key),
                    "{name}: no Vietnamese for {key:?}"
                );
            }
        }
    }
}
