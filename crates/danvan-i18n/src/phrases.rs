//! The messages of `danvan_entry` (how a typed value is read: "is not a date; write it as
//! 22/6/2023 …") in Vietnamese, phrase by phrase: they are built in English from the value
//! typed and its examples, which stay as they are. The catalogue's own messages are Fluent
//! ([`crate::text`]); this table is for the phrases of those older messages until they are
//! typed.

use crate::Lang;

/// Vietnamese for the phrases of `danvan_entry`'s messages, in the order they are replaced
/// (a longer phrase before one it holds).
const PHRASES: &[(&str, &str)] = &[
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
    ("is required", "cần ghi"),
    ("(e.g. ", "(ví dụ "),
    (", e.g. ", ", ví dụ "),
    (" or ", " hoặc "),
];

/// `text`, a message of `danvan_entry`, in `lang`: Vietnamese phrase by phrase (what was typed
/// and the examples stay as they are).
pub fn phrases(text: &str, lang: Lang) -> String {
    if lang == Lang::En {
        return text.to_string();
    }
    let mut out = text.to_string();
    for (en, vi) in PHRASES {
        out = out.replace(en, vi);
    }
    out
}
