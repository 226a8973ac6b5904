//! The `semester` command: parses arguments, runs the pipeline, prints diagnostics, sets the exit code.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Parser, Subcommand};

use semester::{BuildOptions, Diagnostics, Severity};

/// mimalloc, not glibc's malloc: a build allocates and frees millions of small strings on
/// several threads, and glibc spends about a sixth of a build's CPU on it (bench/README.md).
/// Without transparent huge pages (`no_thp`): zeroing them cost some builds a second of
/// system time.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Course websites from Markdown and YAML, with every date computed from the term file.
#[derive(Parser)]
#[command(name = "semester", version, about)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Build the site into public/ (or --out).
    Build(BuildArgs),
    /// Check the course (everything build checks, plus warnings); writes nothing.
    Check {
        /// The course folder.
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// Treat warnings as errors (for CI).
        #[arg(long)]
        strict: bool,
        /// Also list every link to another site, to review before the term starts.
        #[arg(long)]
        links: bool,
        /// Include pages with `draft: true`.
        #[arg(long)]
        drafts: bool,
        /// Include pages with `private: true`.
        #[arg(long)]
        private: bool,
        /// Follow symlinks in content/, static/, templates/ and themes/ that point outside the
        /// course (each is an error without this; only for a course you trust).
        #[arg(long)]
        follow_outside_symlinks: bool,
    },
    /// Build, serve on this machine, rebuild on every save and reload the open pages.
    Serve {
        /// The course folder.
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// The address to listen on (other machines can reach 0.0.0.0: use with care).
        #[arg(long, default_value = "127.0.0.1")]
        bind: std::net::IpAddr,
        /// The port (0: any free port).
        #[arg(long, default_value_t = 1111)]
        port: u16,
        /// Open the site in the browser.
        #[arg(long)]
        open: bool,
        /// Also answer requests for this host name (repeatable); localhost and the bound
        /// address are always answered, other names are refused (DNS rebinding).
        #[arg(long = "allow-host", value_name = "NAME")]
        allow_host: Vec<String>,
        /// Print the time of each stage of every rebuild.
        #[arg(long, short)]
        verbose: bool,
        /// Include pages with `draft: true`.
        #[arg(long)]
        drafts: bool,
        /// Include pages with `private: true`.
        #[arg(long)]
        private: bool,
    },
    /// Print the computed calendar of a term: a table to read, JSON for scripts, or the .ics feed.
    Calendar {
        /// The course folder.
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// The term (default: course.yaml's current_term).
        #[arg(long)]
        term: Option<String>,
        /// What to print.
        #[arg(long, value_enum, default_value_t = Format::Table)]
        format: Format,
    },
    /// Snapshot the current term into versions/<term>/, so it stays published beside the next.
    Freeze {
        /// The course folder.
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// Replace an existing snapshot of this term.
        #[arg(long)]
        force: bool,
    },
    /// Make a course from a site built with another tool (SRC is only read).
    Import {
        #[command(subcommand)]
        from: ImportFrom,
    },
    /// Make a new course folder that builds at once.
    New {
        /// The folder to create.
        dir: PathBuf,
        /// The site's interface language (labels, dates), a BCP 47 tag: en, de, fr, es, it,
        /// pt, nl, tr, zh-Hans, ja, ko, hi, ar, he are built in; the sample text stays English.
        #[arg(long, default_value = "en")]
        language: String,
    },
}

/// `semester import <tool>`.
#[derive(Subcommand)]
enum ImportFrom {
    /// A Jekyll site (just-the-docs, just-the-class, plain Jekyll): writes the course and IMPORT.md,
    /// the list of everything converted, guessed or left out.
    Jekyll {
        /// The Jekyll site's folder (never written).
        src: PathBuf,
        /// The new course's folder (must be empty or missing).
        dest: PathBuf,
        /// Write into a DEST that is not empty.
        #[arg(long)]
        force: bool,
    },
}

// `semester build`'s arguments (the variant's doc comment is the command's help).
#[derive(clap::Args)]
struct BuildArgs {
    /// The course folder.
    #[arg(long, default_value = ".")]
    root: PathBuf,
    /// Where to write the site (default: public/ inside the course).
    #[arg(long)]
    out: Option<PathBuf>,
    /// Include pages with `draft: true`.
    #[arg(long)]
    drafts: bool,
    /// Include pages with `private: true`.
    #[arg(long)]
    private: bool,
    /// Override course.yaml's base_url (e.g. for a preview deployment).
    #[arg(long)]
    base_url: Option<String>,
    /// The build date for `labs.hide_until_release` (YYYY-MM-DD; default: today in the course time zone).
    #[arg(long)]
    as_of: Option<String>,
    /// Print the time of each stage.
    #[arg(long, short)]
    verbose: bool,
    /// Skip the search index (quicker previews; the search page then finds nothing).
    #[arg(long)]
    no_search: bool,
    /// Follow symlinks in content/, static/, templates/ and themes/ that point outside the
    /// course (each is an error without this; only for a course you trust).
    #[arg(long)]
    follow_outside_symlinks: bool,
}

/// `semester calendar --format`.
#[derive(Clone, Copy, clap::ValueEnum)]
enum Format {
    /// Aligned columns, week by week, with the warnings under it.
    Table,
    /// SPEC section 8's object.
    Json,
    /// The calendar.ics the site publishes.
    Ics,
}

fn main() -> ExitCode {
    std::panic::set_hook(Box::new(|info| {
        eprintln!(
            "internal error: semester crashed ({info}).\nThis is a bug in semester, not in your course: please report it with the command you ran."
        );
    }));
    let cli = Cli::parse();
    match cli.command {
        Command::Build(args) => build(args),
        Command::Check {
            root,
            strict,
            links,
            drafts,
            private,
            follow_outside_symlinks,
        } => {
            let options = BuildOptions {
                drafts,
                private,
                as_of: semester::today_in(&root),
                base_url: None,
                search: false,
                outside_links: follow_outside_symlinks,
            };
            check(&root, &options, strict, links)
        }
        Command::Calendar { root, term, format } => calendar(&root, term.as_deref(), format),
        Command::Serve {
            root,
            bind,
            port,
            open,
            allow_host,
            verbose,
            drafts,
            private,
        } => serve(semester::serve::ServeOptions {
            root,
            bind,
            port,
            open,
            drafts,
            private,
            verbose,
            allow_hosts: allow_host,
        }),
        Command::Freeze { root, force } => freeze(&root, force),
        Command::Import {
            from: ImportFrom::Jekyll { src, dest, force },
        } => import_jekyll(&src, &dest, force),
        Command::New { dir, language } => new(&dir, &language),
    }
}

/// `semester build`: the site into `--out`, with the time of each stage when `--verbose`.
fn build(args: BuildArgs) -> ExitCode {
    let BuildArgs {
        root,
        out,
        drafts,
        private,
        base_url,
        as_of,
        verbose,
        no_search,
        follow_outside_symlinks,
    } = args;
    let Some(as_of) = parse_as_of(&root, as_of.as_deref()) else {
        return ExitCode::from(2);
    };
    let options = BuildOptions {
        drafts,
        private,
        as_of,
        base_url,
        search: !no_search,
        outside_links: follow_outside_symlinks,
    };
    let out = out.unwrap_or_else(|| root.join("public"));
    let started = std::time::Instant::now();
    semester::render::highlight::warm_up();
    match semester::build(&root, &out, &options) {
        Ok(site) => {
            if verbose {
                for (stage, t) in &site.timings {
                    eprintln!("  {stage:<11} {:>8.1} ms", t.as_secs_f64() * 1000.0);
                }
                for note in &site.notes {
                    eprintln!("  {note}");
                }
            }
            eprintln!(
                "Built {} ({} pages, {} files) into {} in {:.0} ms",
                site.term_id,
                site.pages,
                site.files.len(),
                out.display(),
                started.elapsed().as_secs_f64() * 1000.0
            );
            // The process ends here: freeing every page one by one would only delay it.
            std::mem::forget(site);
            ExitCode::SUCCESS
        }
        Err(diags) => {
            print_diagnostics(&diags, false);
            eprintln!("The site in {} was left as it was.", out.display());
            ExitCode::from(1)
        }
    }
}

/// `semester check`: every error and warning (warnings as errors when `strict`), and with
/// `links` the external links to review.
fn check(root: &Path, options: &BuildOptions, strict: bool, links: bool) -> ExitCode {
    let mut diags = semester::check(root, options);
    if links {
        let all = semester::external_links(root, options);
        println!(
            "{} external link{} to review:",
            all.len(),
            if all.len() == 1 { "" } else { "s" }
        );
        for (path, line, col, url) in all {
            println!("{}:{line}:{col}: {url}", path.display());
        }
    }
    if strict {
        diags.promote_warnings();
    }
    print_diagnostics(&diags, true);
    if diags.has_errors() {
        return ExitCode::from(1);
    }
    let w = diags.warning_count();
    eprintln!(
        "The course is fine ({w} warning{}).",
        if w == 1 { "" } else { "s" }
    );
    ExitCode::SUCCESS
}

/// `semester calendar`: the computed calendar of `term` as a table, JSON or the .ics feed.
fn calendar(root: &Path, term: Option<&str>, format: Format) -> ExitCode {
    let mut diags = Diagnostics::new();
    // The feed is the one a build of today publishes: no link to a lab not out yet.
    let as_of = matches!(format, Format::Ics).then(|| semester::today_in(root));
    let Some(s) = semester::schedule(root, term, as_of, &mut diags) else {
        print_diagnostics(&diags, false);
        return ExitCode::from(1);
    };
    match format {
        Format::Table => {
            let warnings = semester::schedule::calendar::warnings(&s.term, &s.calendar);
            print!(
                "{}",
                semester::cli::calendar_cli::table(&s.term, &s.content, &s.calendar, &s.config)
            );
            if !warnings.is_empty() {
                println!();
            }
            for w in &warnings {
                println!("{w}");
            }
        }
        Format::Json => {
            let tz_name = s.config.tz.iana_name().unwrap_or("UTC");
            let json = semester::schedule::calendar::to_json(&s.term, tz_name, &s.calendar);
            println!(
                "{}",
                serde_json::to_string_pretty(&json).unwrap_or_default()
            );
        }
        Format::Ics => print!(
            "{}",
            semester::render::calendar_page::ics_of(
                &s.config,
                &s.term,
                &s.content,
                &s.calendar,
                semester::today_in(root)
            )
        ),
    }
    ExitCode::SUCCESS
}

/// `semester serve`, until it is stopped or cannot go on.
fn serve(opts: semester::serve::ServeOptions) -> ExitCode {
    match semester::serve::serve(&opts) {
        Ok(()) => ExitCode::SUCCESS,
        Err(msg) => {
            eprintln!("error: {msg}");
            ExitCode::from(1)
        }
    }
}

/// `semester freeze`: the current term copied into versions/.
fn freeze(root: &Path, force: bool) -> ExitCode {
    match semester::freeze(root, force) {
        Ok(f) => {
            eprintln!(
                "Froze {} ({} files) into {}.\nIt stays published at /{}/ on every build. Next: add terms/<next-term>.yaml and set current_term in course.yaml to it.",
                f.id,
                f.files,
                f.dir.display(),
                f.id
            );
            ExitCode::SUCCESS
        }
        Err(diags) => {
            print_diagnostics(&diags, false);
            ExitCode::from(1)
        }
    }
}

/// `semester new`: a course that builds at once, in `dir`.
fn new(dir: &Path, language: &str) -> ExitCode {
    match semester::cli::new::new_course_in(dir, language) {
        Ok(()) => {
            eprintln!(
                "Made a course in {}. Next:\n  semester build --root {}",
                dir.display(),
                dir.display()
            );
            ExitCode::SUCCESS
        }
        Err(msg) => {
            eprintln!("error: {msg}");
            ExitCode::from(1)
        }
    }
}

fn parse_as_of(root: &Path, as_of: Option<&str>) -> Option<jiff::civil::Date> {
    match as_of {
        None => Some(semester::today_in(root)),
        Some(s) => match semester::load::term::parse_date(s) {
            Ok(d) => Some(d),
            Err(msg) => {
                eprintln!("error: --as-of: {msg}");
                None
            }
        },
    }
}

fn print_diagnostics(diags: &Diagnostics, with_warnings: bool) {
    let all = diags.sorted();
    // One write: stderr is unbuffered, and a course can have thousands of messages.
    let mut text = String::new();
    for d in all
        .iter()
        .filter(|d| with_warnings || d.severity == Severity::Error)
    {
        text.push_str(&format!("{d}\n"));
    }
    eprint!("{text}");
    let (e, w) = (diags.error_count(), diags.warning_count());
    if e > 0 {
        eprintln!(
            "{e} error{}{}",
            if e == 1 { "" } else { "s" },
            if w > 0 && with_warnings {
                format!(", {w} warnings")
            } else {
                String::new()
            }
        );
    }
}

/// `semester import jekyll`: prints the report and where it went.
fn import_jekyll(src: &Path, dest: &Path, force: bool) -> ExitCode {
    let today = jiff::Timestamp::now()
        .to_zoned_datetime(jiff::tz::TimeZone::UTC)
        .date();
    let options = semester::import::ImportOptions { force, today };
    match semester::import::jekyll(src, dest, options) {
        Ok(done) => {
            println!("{}", done.report);
            let (left, guessed, converted) = done.counts;
            eprintln!(
                "Wrote {} files to {}: {left} things left out, {guessed} guessed, {converted} converted (see {}).\nNext:\n  semester check --root {}",
                done.files,
                dest.display(),
                dest.join("IMPORT.md").display(),
                dest.display()
            );
            ExitCode::SUCCESS
        }
        Err(msg) => {
            eprintln!("error: {msg}");
            ExitCode::from(1)
        }
    }
}
