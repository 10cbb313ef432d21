//! The MCP servers of a generated session: invented names, each with its own
//! tool list (so `tools/list` results range from a few hundred bytes to tens
//! of KiB), the SDK it is written with (which orders the JSON-RPC envelope),
//! its capabilities and how often and how much it answers.
//!
//! Names are this project's own (`notes`, `weather`, `tracker`, ...); the
//! servers that fail in spliced incidents have names no healthy server uses.

use super::content::{Pool, Style};
use crate::gen::Rng;

/// A tool's parameter: name, JSON type, description.
pub type Param = (&'static str, &'static str, &'static str);

/// A tool: name, description, parameters (the first is required).
pub type Tool = (&'static str, &'static str, &'static [Param]);

/// A kind of server.
#[derive(Debug)]
pub struct Kind {
    pub name: &'static str,
    /// `serverInfo.name`.
    pub info: &'static str,
    pub version: &'static str,
    pub style: Style,
    pub tools: &'static [Tool],
    pub resources: bool,
    pub logging: bool,
    pub progress: bool,
    /// Relative call frequency.
    pub weight: u64,
    /// Largest result as a power of two (bytes).
    pub max_bits: u64,
    /// Written with the Python SDK (`{"jsonrpc":"2.0","id":..,"result":..}`), else TypeScript.
    pub python: bool,
}

const Q: Param = (
    "query",
    "string",
    "Free-text search query. Supports quoted phrases and the operators AND, OR and NOT.",
);
const LIMIT: Param = (
    "limit",
    "integer",
    "Maximum number of results to return (1-100, default 20).",
);
const PATH: Param = (
    "path",
    "string",
    "Absolute path of the file or directory, inside one of the allowed directories.",
);
const ID: Param = (
    "id",
    "string",
    "Identifier of the item, as returned by the list and search tools.",
);
const URL: Param = ("url", "string", "The URL to open, including the scheme.");
const TEXT: Param = (
    "text",
    "string",
    "The text to write. Markdown is supported.",
);
const CITY: Param = (
    "city",
    "string",
    "City name, optionally followed by a country code, e.g. Porto,PT.",
);
const DAYS: Param = ("days", "integer", "Number of days to forecast (1-7).");
const SQL: Param = (
    "sql",
    "string",
    "A read-only SQL statement (SELECT or WITH). Statements that modify data are rejected.",
);
const TABLE: Param = (
    "table",
    "string",
    "Table name, optionally schema-qualified.",
);
const REF: Param = (
    "ref",
    "string",
    "Exact target element reference from the page snapshot.",
);
const WHEN: Param = ("start", "string", "Start time in ISO 8601 format.");

pub const KINDS: [Kind; 16] = [
    Kind { name: "notes", info: "notes-mcp", version: "1.4.0", style: Style::Markdown, resources: true, logging: true, progress: false, weight: 8, max_bits: 14, python: false,
        tools: &[("search_notes", "Search notes by full-text query across every notebook.", &[Q, LIMIT]), ("read_note", "Read one note as markdown.", &[ID]), ("create_note", "Create a note in a notebook.", &[TEXT, ID]), ("append_to_note", "Append markdown to the end of a note.", &[ID, TEXT]), ("list_notebooks", "List notebooks with their note counts.", &[LIMIT])] },
    Kind { name: "weather", info: "weather", version: "0.3.1", style: Style::Forecast, resources: false, logging: false, progress: false, weight: 2, max_bits: 11, python: true,
        tools: &[("get_forecast", "Get the weather forecast for a location.", &[CITY, DAYS]), ("get_alerts", "Get active weather alerts for a region.", &[CITY])] },
    Kind { name: "files", info: "secure-filesystem-server", version: "0.6.2", style: Style::Listing, resources: false, logging: false, progress: false, weight: 10, max_bits: 16, python: false,
        tools: &[("read_text_file", "Read the complete contents of a file as text. Use head or tail to read only part of a large file.", &[PATH, LIMIT]), ("write_file", "Create a new file or completely overwrite an existing file with new content.", &[PATH, TEXT]), ("edit_file", "Make line-based edits to a text file and return a git-style diff.", &[PATH, TEXT]), ("list_directory", "Get a detailed listing of all files and directories in a specified path.", &[PATH]), ("directory_tree", "Get a recursive tree view of files and directories as a JSON structure.", &[PATH]), ("search_files", "Recursively search for files and directories matching a pattern.", &[PATH, Q]), ("get_file_info", "Retrieve detailed metadata about a file or directory.", &[PATH]), ("list_allowed_directories", "Returns the list of directories that this server is allowed to access.", &[])] },
    Kind { name: "tracker", info: "tracker-mcp", version: "2.1.0", style: Style::Records, resources: true, logging: true, progress: true, weight: 9, max_bits: 16, python: true,
        tools: &[("search_issues", "Search issues with a query; returns keys, titles, status and assignee.", &[Q, LIMIT]), ("get_issue", "Get one issue with its description and comments.", &[ID]), ("create_issue", "Create an issue in a project.", &[TEXT, ID]), ("update_issue", "Update fields of an issue.", &[ID, TEXT]), ("add_comment", "Add a comment to an issue.", &[ID, TEXT]), ("list_projects", "List projects visible to the token.", &[LIMIT])] },
    Kind { name: "browser", info: "browser-automation", version: "0.0.31", style: Style::Snapshot, resources: false, logging: false, progress: false, weight: 6, max_bits: 16, python: false,
        tools: &[("browser_navigate", "Navigate to a URL and return a snapshot of the page.", &[URL]), ("browser_snapshot", "Capture an accessibility snapshot of the current page; better than a screenshot for acting on it.", &[]), ("browser_click", "Perform a click on a web page.", &[REF, TEXT]), ("browser_type", "Type text into an editable element.", &[REF, TEXT]), ("browser_press_key", "Press a key on the keyboard.", &[TEXT]), ("browser_wait_for", "Wait for text to appear or disappear or a specified time to pass.", &[TEXT]), ("browser_tabs", "List, create, close, or select a browser tab.", &[TEXT]), ("browser_take_screenshot", "Take a screenshot of the current page. You cannot perform actions based on the screenshot; use browser_snapshot for actions.", &[TEXT]), ("browser_evaluate", "Evaluate a JavaScript expression on the page or an element.", &[TEXT, REF]), ("browser_close", "Close the page.", &[])] },
    Kind { name: "db", info: "postgres-readonly", version: "0.9.0", style: Style::Rows, resources: true, logging: false, progress: false, weight: 5, max_bits: 15, python: true,
        tools: &[("query", "Run a read-only SQL query and return the rows as JSON.", &[SQL, LIMIT]), ("list_tables", "List tables with their row estimates.", &[]), ("describe_table", "Describe the columns, types and indexes of a table.", &[TABLE])] },
    Kind { name: "calendar", info: "calendar", version: "1.0.3", style: Style::Records, resources: false, logging: false, progress: false, weight: 3, max_bits: 12, python: false,
        tools: &[("list_events", "List events between two times.", &[WHEN, LIMIT]), ("create_event", "Create an event.", &[TEXT, WHEN]), ("find_free_time", "Find free slots for a set of attendees.", &[WHEN, TEXT])] },
    Kind { name: "mail", info: "mail-mcp", version: "0.5.0", style: Style::Markdown, resources: false, logging: true, progress: false, weight: 3, max_bits: 14, python: true,
        tools: &[("search_messages", "Search messages in the mailbox.", &[Q, LIMIT]), ("read_message", "Read one message as markdown.", &[ID]), ("draft_reply", "Create a draft reply to a message.", &[ID, TEXT])] },
    Kind { name: "git", info: "mcp-git", version: "1.2.0", style: Style::Listing, resources: false, logging: false, progress: false, weight: 5, max_bits: 15, python: true,
        tools: &[("git_status", "Shows the working tree status.", &[PATH]), ("git_diff_unstaged", "Shows changes in the working directory that are not yet staged.", &[PATH]), ("git_log", "Shows the commit logs.", &[PATH, LIMIT]), ("git_show", "Shows the contents of a commit.", &[PATH, ID]), ("git_branch", "List branches.", &[PATH])] },
    Kind { name: "docs", info: "docs-index", version: "1.0.14", style: Style::Markdown, resources: false, logging: false, progress: false, weight: 4, max_bits: 15, python: false,
        tools: &[("resolve_library_id", "Resolve a package name to a library id usable with get_library_docs.", &[Q]), ("get_library_docs", "Fetch up-to-date documentation for a library.", &[ID, Q, LIMIT])] },
    Kind { name: "memory", info: "memory-server", version: "0.6.3", style: Style::Records, resources: false, logging: false, progress: false, weight: 3, max_bits: 13, python: false,
        tools: &[("create_entities", "Create multiple new entities in the knowledge graph.", &[TEXT]), ("add_observations", "Add new observations to existing entities.", &[ID, TEXT]), ("search_nodes", "Search for nodes in the knowledge graph.", &[Q]), ("open_nodes", "Open specific nodes by name.", &[ID]), ("read_graph", "Read the entire knowledge graph.", &[])] },
    Kind { name: "fetch", info: "mcp-fetch", version: "1.1.0", style: Style::Markdown, resources: false, logging: false, progress: false, weight: 3, max_bits: 16, python: true,
        tools: &[("fetch", "Fetches a URL from the internet and extracts its contents as markdown.", &[URL, LIMIT])] },
    Kind { name: "tasks", info: "tasks-mcp", version: "0.6.2", style: Style::Records, resources: false, logging: false, progress: false, weight: 2, max_bits: 11, python: true,
        tools: &[("list_tasks", "List open tasks, newest first.", &[LIMIT]), ("add_task", "Add a task.", &[TEXT, WHEN]), ("complete_task", "Mark a task done.", &[ID])] },
    Kind { name: "chat", info: "chat-workspace", version: "0.4.2", style: Style::Records, resources: true, logging: true, progress: false, weight: 4, max_bits: 14, python: false,
        tools: &[("list_channels", "List channels in the workspace.", &[LIMIT]), ("read_history", "Read recent messages of a channel.", &[ID, LIMIT]), ("post_message", "Post a message to a channel.", &[ID, TEXT]), ("search_messages", "Search messages across channels.", &[Q, LIMIT])] },
    Kind { name: "sheets", info: "sheets-mcp", version: "0.2.0", style: Style::Rows, resources: false, logging: false, progress: true, weight: 2, max_bits: 15, python: true,
        tools: &[("read_range", "Read a range of cells as rows.", &[ID, TEXT]), ("write_range", "Write rows into a range.", &[ID, TEXT]), ("list_sheets", "List sheets of a spreadsheet.", &[ID])] },
    Kind { name: "design", info: "design-files", version: "0.8.1", style: Style::Snapshot, resources: true, logging: false, progress: true, weight: 2, max_bits: 16, python: false,
        tools: &[("get_file", "Get the node tree of a design file.", &[ID, LIMIT]), ("get_node", "Get one node with its properties.", &[ID, REF]), ("export_images", "Export nodes as PNG and return their URLs.", &[ID, REF])] },
];

/// Names of servers that fail to start (spliced incidents only).
pub const BROKEN_SPAWN: [&str; 3] = ["scraper", "translate", "maps"];
pub const BROKEN_TIMEOUT: [&str; 3] = ["vault", "crm", "analytics"];
/// Suffixes for a second server of the same kind (`db-staging`).
const SUFFIXES: [&str; 4] = ["staging", "work", "team", "ops"];

/// One server of a session.
#[derive(Debug)]
pub struct Server {
    pub name: String,
    pub kind: &'static Kind,
    /// Protocol version it answers with.
    pub proto: &'static str,
    /// The `tools/list` result object (`{"tools":[...]}`), built once.
    pub tools_json: Vec<u8>,
    pub pool: Pool,
    /// Running and connected.
    pub up: bool,
    /// Next request id of the client's session with it.
    pub next_id: u64,
    /// When it was last (re)connected (ms).
    pub since: u64,
}

impl Server {
    pub fn new(name: String, kind: &'static Kind, rng: &mut Rng) -> Server {
        let proto = ["2024-11-05", "2025-03-26", "2025-06-18"][rng.below(3) as usize];
        Server {
            tools_json: tools_json(kind),
            pool: Pool::build(kind.style, rng),
            name,
            kind,
            proto,
            up: false,
            next_id: 0,
            since: 0,
        }
    }

    /// A fresh id for the next request.
    pub fn id(&mut self) -> u64 {
        let id = self.next_id;
        self.next_id += 1;
        id
    }
}

/// `count` servers of different kinds (a second of a kind is suffixed).
pub fn pick(rng: &mut Rng, count: usize) -> Vec<Server> {
    let mut order: Vec<usize> = (0..KINDS.len()).collect();
    for i in (1..order.len()).rev() {
        order.swap(i, rng.below(i as u64 + 1) as usize);
    }
    (0..count)
        .map(|k| {
            let kind = &KINDS[order[k % order.len()]];
            let name = match k / order.len() {
                0 => kind.name.to_string(),
                n => format!("{}-{}", kind.name, SUFFIXES[(n - 1) % SUFFIXES.len()]),
            };
            Server::new(name, kind, rng)
        })
        .collect()
}

/// The server of kind `name` (single-server logs).
pub fn named(rng: &mut Rng, name: &str) -> Server {
    let kind = KINDS.iter().find(|k| k.name == name).unwrap_or(&KINDS[0]);
    Server::new(name.to_string(), kind, rng)
}

/// A server that never starts properly (its kind only shapes its start).
pub fn broken(rng: &mut Rng, name: &str) -> Server {
    let mut s = Server::new(name.to_string(), &KINDS[11], rng);
    s.tools_json.clear();
    s
}

/// The usage notes big servers append to every tool's description (escaped).
const USAGE: &str = "\\n\\nUsage notes:\\n- Results are paginated; pass the returned cursor to continue.\\n- Paths and URLs must be absolute.\\n- Prefer the narrowest query that answers the question: large results are truncated to the first 1000 lines and say so.\\n- The call is read-only unless its name says otherwise.\\n\\nExamples:\\n  {\\\"query\\\": \\\"release notes\\\", \\\"limit\\\": 10}\\n  {\\\"path\\\": \\\"/Users/mara/code/atlas/README.md\\\"}";

fn tools_json(kind: &Kind) -> Vec<u8> {
    let mut o = Vec::with_capacity(4096);
    o.extend_from_slice(b"{\"tools\":[");
    for (i, (name, desc, params)) in kind.tools.iter().enumerate() {
        if i > 0 {
            o.push(b',');
        }
        o.extend_from_slice(b"{\"name\":\"");
        o.extend_from_slice(name.as_bytes());
        o.extend_from_slice(b"\",\"description\":\"");
        o.extend_from_slice(desc.as_bytes());
        if kind.max_bits >= 16 {
            // Big servers document their tools at length.
            o.extend_from_slice(USAGE.as_bytes());
        }
        o.extend_from_slice(b"\",\"inputSchema\":{\"type\":\"object\",\"properties\":{");
        for (j, (p, ty, d)) in params.iter().enumerate() {
            if j > 0 {
                o.push(b',');
            }
            o.extend_from_slice(
                format!("\"{p}\":{{\"type\":\"{ty}\",\"description\":\"{d}\"}}").as_bytes(),
            );
        }
        o.extend_from_slice(b"},\"required\":[");
        if let Some((p, _, _)) = params.first() {
            o.extend_from_slice(format!("\"{p}\"").as_bytes());
        }
        o.extend_from_slice(b"],\"additionalProperties\":false,\"$schema\":\"http://json-schema.org/draft-07/schema#\"}");
        if kind.python {
            o.extend_from_slice(b",\"annotations\":null");
        }
        o.push(b'}');
    }
    o.extend_from_slice(b"]}");
    o
}
