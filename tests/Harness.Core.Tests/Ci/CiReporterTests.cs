using System.Text;
using Harness.Core.Ci;
using Harness.Core.Entry;
using Harness.Core.Errors;
using Harness.Core.Features;
using Harness.Core.Git;
using Harness.Core.Health;
using Harness.Core.State;
using Harness.TestKit;

namespace Harness.Core.Tests.Ci;

public class CiReporterTests
{
    private static readonly string Nl = Environment.NewLine;

    private static (ICiReporter Ci, StringWriter Log) Create(params (string Name, string Value)[] env)
    {
        var log = new StringWriter { NewLine = "\n" };
        var map = env.ToDictionary(e => e.Name, e => e.Value);
        return (CiEnvironment.CreateReporter(log, name => map.GetValueOrDefault(name)), log);
    }

    [Theory]
    [InlineData("GITHUB_ACTIONS", "true", "GitHubActions")]
    [InlineData("GITHUB_ACTIONS", "TRUE", "GitHubActions")]
    [InlineData("GITHUB_ACTIONS", "false", "None")]
    [InlineData("GITHUB_ACTIONS", "", "None")]
    [InlineData("TF_BUILD", "True", "AzureDevOps")]
    [InlineData("TF_BUILD", "true", "AzureDevOps")]
    [InlineData("TF_BUILD", "1", "None")]
    [InlineData("CI", "true", "None")]
    public void Detection_reads_the_systems_own_variable(string name, string value, string expectedSystem)
    {
        var expected = Enum.Parse<CiSystem>(expectedSystem);
        Assert.Equal(expected, CiEnvironment.Detect(n => n == name ? value : null));
    }

    [Fact]
    public void GitHub_wins_when_both_are_set()
    {
        Assert.Equal(CiSystem.GitHubActions, CiEnvironment.Detect(n => n switch { "GITHUB_ACTIONS" => "true", "TF_BUILD" => "True", _ => null }));
    }

    [Fact]
    public void Plain_prints_nothing_extra_and_untrusted_text_as_is()
    {
        using var dir = TempDirectory.Create();
        var output = Path.Combine(dir.Path, "out");
        var (ci, log) = Create(("GITHUB_OUTPUT", output), ("GITHUB_STEP_SUMMARY", output));

        ci.Annotate(new CiAnnotation(AnnotationLevel.Error, "x") { File = "a", Line = 1 });
        ci.StartGroup("g");
        ci.EndGroup();
        ci.Mask("secret");
        ci.SetOutput("a", "b");
        ci.AppendSummary("# s");
        ci.Complete(CiResult.Failed);
        ci.WriteUntrusted("::error::not a command here");

        Assert.False(ci.IsActive);
        Assert.Equal("::error::not a command here\n", log.ToString());
        Assert.False(File.Exists(output));
    }

    [Theory]
    [InlineData("plain", "plain")]
    [InlineData("100%", "100%25")]
    [InlineData("%0A literal", "%250A literal")]
    [InlineData("a\nb", "a%0Ab")]
    [InlineData("a\r\nb", "a%0D%0Ab")]
    [InlineData("c:\\x, y", "c:\\x, y")]
    public void GitHub_data_escaping(string value, string expected) => Assert.Equal(expected, GitHubActionsReporter.EscapeData(value));

    [Theory]
    [InlineData("src/a.cs", "src/a.cs")]
    [InlineData("C:\\src\\a,b.cs", "C%3A\\src\\a%2Cb.cs")]
    [InlineData("50%: a,b\n", "50%25%3A a%2Cb%0A")]
    public void GitHub_property_escaping(string value, string expected) => Assert.Equal(expected, GitHubActionsReporter.EscapeProperty(value));

    [Theory]
    [InlineData("100%", "100%AZP25")]
    [InlineData("a\r\nb", "a%0D%0Ab")]
    [InlineData("x]y;z", "x]y;z")]
    public void Azure_data_escaping(string value, string expected) => Assert.Equal(expected, AzureDevOpsReporter.EscapeData(value));

    [Theory]
    [InlineData("x]y;z", "x%5Dy%3Bz")]
    [InlineData("50%\n", "50%AZP25%0A")]
    [InlineData("src/a:b,c.cs", "src/a:b,c.cs")]
    public void Azure_property_escaping(string value, string expected) => Assert.Equal(expected, AzureDevOpsReporter.EscapeProperty(value));

    [Fact]
    public void GitHub_commands_golden()
    {
        var (ci, log) = Create(("GITHUB_ACTIONS", "true"), ("GITHUB_WORKSPACE", "/work/repo"));

        ci.Annotate(new CiAnnotation(AnnotationLevel.Error, "bad value\nsecond line 100%") { File = "/work/repo/.claude/config/project.json", Line = 4, Column = 21, Title = "harness: Harness.ConfigFileInvalid" });
        ci.Annotate(new CiAnnotation(AnnotationLevel.Warning, "w") { File = "/elsewhere/a:b,c.json", Line = 2 });
        ci.Annotate(new CiAnnotation(AnnotationLevel.Notice, "n") { Line = 3, Column = 4 });
        ci.Annotate(new CiAnnotation(AnnotationLevel.Warning, "col without line") { File = "x.json", Column = 4 });
        ci.StartGroup("Health check: npm test (FAILED)");
        ci.EndGroup();
        ci.Mask("s3cr%t");
        ci.Mask("line1\nline2\n");
        ci.Mask("");
        ci.Complete(CiResult.Failed, "ignored on GitHub");

        Assert.Equal(
            "::error file=.claude/config/project.json,line=4,col=21,title=harness%3A Harness.ConfigFileInvalid::bad value%0Asecond line 100%25\n" +
            "::warning file=/elsewhere/a%3Ab%2Cc.json,line=2::w\n" +
            "::notice::n\n" +
            "::warning file=x.json::col without line\n" +
            "::group::Health check: npm test (FAILED)\n" +
            "::endgroup::\n" +
            "::add-mask::s3cr%25t\n" +
            "::add-mask::line1%0Aline2%0A\n" +
            "::add-mask::line1\n" +
            "::add-mask::line2\n",
            log.ToString());
    }

    [Fact]
    public void GitHub_untrusted_text_is_fenced_by_an_unguessable_stop_token()
    {
        var (ci, log) = Create(("GITHUB_ACTIONS", "true"));

        ci.WriteUntrusted("::add-mask::x\n::set-output name=a::b");

        var lines = log.ToString().Split('\n');
        Assert.StartsWith("::stop-commands::", lines[0]);
        var token = lines[0]["::stop-commands::".Length..];
        Assert.Equal(32, token.Length);
        Assert.Equal(["::add-mask::x", "::set-output name=a::b", $"::{token}::", ""], lines[1..]);
    }

    [Fact]
    public void Azure_commands_golden()
    {
        using var dir = TempDirectory.Create();
        var (ci, log) = Create(("TF_BUILD", "True"), ("BUILD_SOURCESDIRECTORY", "/agent/s"), ("AGENT_TEMPDIRECTORY", dir.Path));

        ci.Annotate(new CiAnnotation(AnnotationLevel.Error, "bad]value;\n100%") { File = "/agent/s/dir;x]/state.json", Line = 3, Column = 9, Title = "harness: Harness.StateFileInvalid" });
        ci.Annotate(new CiAnnotation(AnnotationLevel.Warning, "shallow"));
        ci.Annotate(new CiAnnotation(AnnotationLevel.Notice, "note\n##vso[task.setvariable variable=x]y"));
        ci.StartGroup("Health check");
        ci.EndGroup();
        ci.Mask("p;w]d%");
        ci.SetOutput("next_state", "IMPLEMENT");
        ci.SetOutput("warnings", "a\nb 100%");
        ci.Complete(CiResult.SucceededWithIssues);
        ci.Complete(CiResult.Failed, "broken\napp");
        ci.WriteUntrusted("log ##vso[task.complete result=Succeeded;]\n##[group]x");

        Assert.Equal(
            "##vso[task.logissue type=error;sourcepath=dir%3Bx%5D/state.json;linenumber=3;columnnumber=9;]harness: Harness.StateFileInvalid: bad]value;%0A100%AZP25\n" +
            "##vso[task.logissue type=warning;]shallow\n" +
            "##[section]note #\u200B#vso[task.setvariable variable=x]y\n" +
            "##[group]Health check\n" +
            "##[endgroup]\n" +
            "##vso[task.setsecret]p;w]d%AZP25\n" +
            "##vso[task.setvariable variable=next_state;isOutput=true;]IMPLEMENT\n" +
            "##vso[task.setvariable variable=warnings;isOutput=true;]a%0Ab 100%AZP25\n" +
            "##vso[task.complete result=SucceededWithIssues;]\n" +
            "##vso[task.complete result=Failed;]broken%0Aapp\n" +
            "log #\u200B#vso[task.complete result=Succeeded;]\n#\u200B#[group]x\n",
            log.ToString());
    }

    [Fact]
    public void Azure_summary_is_a_file_of_its_own_uploaded_by_path()
    {
        using var dir = TempDirectory.Create();
        var (ci, log) = Create(("TF_BUILD", "True"), ("AGENT_TEMPDIRECTORY", dir.Path));

        ci.AppendSummary("### Harness\n| a | b |\n");

        var line = log.ToString().TrimEnd('\n');
        Assert.StartsWith("##vso[task.uploadsummary]" + dir.Path, line);
        var path = line["##vso[task.uploadsummary]".Length..];
        Assert.Equal("### Harness\n| a | b |\n", File.ReadAllText(path));
    }

    [Fact]
    public void GitHub_outputs_single_line_and_heredoc_forms()
    {
        using var dir = TempDirectory.Create();
        var output = Path.Combine(dir.Path, "output");
        var (ci, _) = Create(("GITHUB_ACTIONS", "true"), ("GITHUB_OUTPUT", output));

        ci.SetOutputs([new("next_state", "IMPLEMENT"), new("empty", ""), new("odd", "a=b<<c %0A"), new("multi", "line 1\nline 2\r\n")]);

        var text = File.ReadAllText(output);
        var lines = text.Split(Nl);
        Assert.Equal("next_state=IMPLEMENT", lines[0]);
        Assert.Equal("empty=", lines[1]);
        Assert.Equal("odd=a=b<<c %0A", lines[2]);
        Assert.StartsWith("multi<<ghadelimiter_", lines[3]);
        var delimiter = lines[3]["multi<<".Length..];
        Assert.Equal(["line 1", "line 2\r", "", delimiter, ""], lines[4..]);
        Assert.Equal(new Dictionary<string, string> { ["next_state"] = "IMPLEMENT", ["empty"] = "", ["odd"] = "a=b<<c %0A", ["multi"] = "line 1\nline 2\r\n" }, GitHubOutputFile.Parse(text));
    }

    [Fact]
    public void Many_writers_at_once_never_tear_or_overwrite_records()
    {
        // Each writer opens the file on its own (as separate processes do); flock conflicts between
        // open file descriptions even inside one process, so threads exercise the same lock.
        using var dir = TempDirectory.Create();
        var output = Path.Combine(dir.Path, "output");
        const int writers = 4, records = 1000;
        using var start = new Barrier(writers);
        var threads = Enumerable.Range(0, writers).Select(w => new Thread(() =>
        {
            var ci = new GitHubActionsReporter(TextWriter.Null, output, null, null);
            start.SignalAndWait();
            for (var i = 0; i < records; i++)
            {
                ci.SetOutputs([new($"w{w}_{i}", $"single {i}"), new($"m{w}_{i}", $"multi\nline {w} {i}\n" + new string('x', 300))]);
            }
        })).ToList();
        threads.ForEach(t => t.Start());
        threads.ForEach(t => t.Join());

        var parsed = GitHubOutputFile.Parse(File.ReadAllText(output));
        Assert.Equal(writers * records * 2, parsed.Count);
        Assert.Equal("single 7", parsed["w3_7"]);
        Assert.Equal("multi\nline 2 9\n" + new string('x', 300), parsed["m2_9"]);
    }

    [Fact]
    public void GitHub_output_names_are_checked()
    {
        var (ci, _) = Create(("GITHUB_ACTIONS", "true"), ("GITHUB_OUTPUT", "/nonexistent/x"));
        Assert.Throws<ArgumentException>(() => ci.SetOutput("bad name", "x"));
        Assert.Throws<ArgumentException>(() => ci.SetOutput("a=b", "x"));
    }

    [Fact]
    public void Append_starts_a_fresh_line_after_a_writer_that_left_none_and_keeps_existing_bytes()
    {
        using var dir = TempDirectory.Create();
        var output = Path.Combine(dir.Path, "output");
        File.WriteAllText(output, "other=1");
        var (ci, _) = Create(("GITHUB_ACTIONS", "true"), ("GITHUB_OUTPUT", output), ("GITHUB_STEP_SUMMARY", output));

        ci.SetOutput("mine", "2");

        Assert.Equal($"other=1\nmine=2{Nl}", File.ReadAllText(output));
        Assert.False(File.ReadAllBytes(output).AsSpan().StartsWith(Encoding.UTF8.GetPreamble()));
    }

    [Fact]
    public async Task Append_waits_for_a_writer_holding_the_file()
    {
        using var dir = TempDirectory.Create();
        var output = Path.Combine(dir.Path, "output");
        File.WriteAllText(output, "");
        var holder = new FileStream(output, FileMode.Open, FileAccess.ReadWrite, FileShare.None);
        var release = Task.Run(async () =>
        {
            await Task.Delay(200);
            holder.Write("held=1\n"u8);
            holder.Dispose();
        });

        CiFiles.Append(output, "after=2\n");
        await release;

        Assert.Equal("held=1\nafter=2\n", File.ReadAllText(output));
    }

    [Fact]
    public void Append_to_an_unwritable_place_is_a_harness_error_naming_the_file()
    {
        var path = Path.Combine(Path.GetTempPath(), Guid.NewGuid().ToString("N"), "missing-dir", "out");
        var ex = Assert.Throws<HarnessException>(() => CiFiles.Append(path, "a=b\n"));
        Assert.Equal(ErrorIds.IoFailed, ex.ErrorId);
        Assert.Equal(path, ex.FilePath);
    }

    [Theory]
    [InlineData("/w/repo", "/w/repo/src/a.cs", "src/a.cs")]
    [InlineData("/w/repo/", "/w/repo/src/a.cs", "src/a.cs")]
    [InlineData("/w/repo", "/w/repository/a.cs", "/w/repository/a.cs")]
    [InlineData("/w/repo", "/w/repo", "/w/repo")]
    [InlineData(null, "/w/repo/a.cs", "/w/repo/a.cs")]
    [InlineData("/w/repo", "rel/a.cs", "rel/a.cs")]
    public void Annotation_files_are_relative_to_the_checkout_when_inside_it(string? workspace, string file, string expected)
    {
        Assert.Equal(expected, CiFiles.RelativeToWorkspace(workspace, file));
    }

    private static EntryReport Report(bool shallow = false, IReadOnlyList<string>? warnings = null, HealthCheckResult? health = null) => new()
    {
        Directory = "/w/repo",
        Git = new GitSnapshot { Repository = new GitRepositoryInfo { IsRepository = true, Branch = "main", HeadCommit = "0123456789abcdef0123", IsShallow = shallow } },
        Health = health ?? HealthCheckResult.Skipped("health_check", "no health check configured"),
        HealthStatus = health?.Status ?? HealthStatus.UNKNOWN,
        StateFile = "/w/repo/.claude/progress/state.json",
        ConfigPath = "/w/repo/.claude/config/project.json",
        CurrentState = SessionState.START,
        NextState = SessionState.IMPLEMENT,
        NextStateReason = "1 of 2 features remaining",
        FeatureStatus = FeatureListStatus.HAS_PENDING_FEATURES,
        Features = new FeatureSummary
        {
            Path = "/w/repo/.claude/progress/feature-list.json",
            Format = FeatureListFormat.Seed,
            Counts = new FeatureCounts { Total = 2, Pending = 1, Completed = 1 },
            NextFeature = new Feature { Id = "F2", Name = "Pipe | and <b>", Status = "pending", Index = 1 },
        },
        SessionType = SessionType.CONTINUE,
        LatestSummary = "/w/repo/.claude/progress/sessions/20260101T000000Z.md",
        Skill = "implementation/",
        Warnings = warnings ?? [],
    };

    [Fact]
    public void Entry_warnings_land_on_the_file_they_name()
    {
        var report = Report(warnings:
        [
            "/w/repo/.claude/progress/feature-list.json: duplicate feature ids: F1; give each feature its own id",
            "/w/repo/.claude/progress/feature-list.json has no features; treating the project as not initialized (INIT)",
            "/w/repo/.claude/config/project.json: unknown field \"helth\" (kept as is; check the spelling)",
            "required environment variables not set: API_KEY",
        ]);

        var annotations = EntryCi.Annotations(CiSystem.GitHubActions, report);

        Assert.Equal(
        [
            ("/w/repo/.claude/progress/feature-list.json", "duplicate feature ids: F1; give each feature its own id"),
            ("/w/repo/.claude/progress/feature-list.json", "feature-list.json has no features; treating the project as not initialized (INIT)"),
            ("/w/repo/.claude/config/project.json", "unknown field \"helth\" (kept as is; check the spelling)"),
            (null, "required environment variables not set: API_KEY"),
        ],
        annotations.Select(a => (a.File, a.Message)).ToArray());
        Assert.All(annotations, a => Assert.Equal(AnnotationLevel.Warning, a.Level));
    }

    [Theory]
    [InlineData("GitHubActions", "fetch-depth: 0 on actions/checkout")]
    [InlineData("AzureDevOps", "fetchDepth: 0 on the checkout step")]
    public void Shallow_clone_gets_one_warning_with_the_systems_fix(string systemName, string fix)
    {
        var system = Enum.Parse<CiSystem>(systemName);
        var withGitWarning = EntryCi.Annotations(system, Report(shallow: true, warnings: ["shallow clone: history has only 1 commit(s); fetch with fetch-depth: 0 (or a depth of at least 5) for full context"]));
        var withoutGitWarning = EntryCi.Annotations(system, Report(shallow: true));

        var a = Assert.Single(withGitWarning);
        Assert.Contains("history has only 1 commit(s)", a.Message);
        Assert.Contains(fix, a.Message);
        Assert.Contains(fix, Assert.Single(withoutGitWarning).Message);
        Assert.Empty(EntryCi.Annotations(system, Report()));
    }

    [Fact]
    public void Entry_outputs_are_named_like_the_msbuild_properties()
    {
        var outputs = EntryCi.Outputs(Report(warnings: ["a", "b"]));

        Assert.Equal(
        [
            "next_state=IMPLEMENT", "current_state=START", "health_status=UNKNOWN", "feature_status=HAS_PENDING_FEATURES",
            "session_type=CONTINUE", "total_features=2", "pending_features=1", "completed_features=1", "next_feature=F2",
            "latest_summary=/w/repo/.claude/progress/sessions/20260101T000000Z.md", "warnings=a\nb",
        ],
        outputs.Select(o => $"{o.Key}={o.Value}").ToArray());
    }

    [Fact]
    public void Summary_is_a_table_with_cells_that_cannot_break_it()
    {
        var broken = new HealthCheckResult { Status = HealthStatus.BROKEN, Outcome = HealthOutcome.FAILED, Command = "npm test", Description = "exited with code 1", ExitCode = 1, OutputTail = "```\nTypeError\n" };
        var markdown = EntryCi.SummaryMarkdown(Report(health: broken, warnings: ["w | x\ny"]) with { NextState = SessionState.FIX_BROKEN, NextStateReason = "health check failed" });

        Assert.Equal(
            "### Harness session entry: FIX_BROKEN\n\n" +
            "| | |\n|---|---|\n" +
            "| Next state | **FIX_BROKEN** (health check failed) |\n" +
            "| Current state | START |\n" +
            "| Health | ❌ BROKEN (exited with code 1) |\n" +
            "| Health check | npm test |\n" +
            "| Features | 1 of 2 done, 1 remaining, 0 blocked |\n" +
            "| Next feature | F2: Pipe \\| and &lt;b&gt; |\n" +
            "| Session type | CONTINUE |\n" +
            "| Latest summary | /w/repo/.claude/progress/sessions/20260101T000000Z.md |\n" +
            "| Project | /w/repo |\n" +
            "| Git | main at 0123456789ab |\n" +
            "\n**Warnings**\n\n- w \\| x<br>y\n" +
            "\n<details><summary>Health check output</summary>\n\n````text\n```\nTypeError\n````\n\n</details>\n",
            markdown);
    }

    [Fact]
    public void Harness_error_becomes_an_error_annotation_on_its_file_line_and_column()
    {
        var ex = new HarnessException(ErrorIds.StateFileInvalid, HarnessErrorCategory.InvalidData, "state.json(3,12): invalid JSON") { FilePath = "/w/repo/.claude/progress/state.json", Line = 3, Column = 12, Fix = "repair it" };
        var (ci, log) = Create(("GITHUB_ACTIONS", "true"), ("GITHUB_WORKSPACE", "/w/repo"));

        EntryCi.PublishError(ci, ex);

        Assert.Equal("::error file=.claude/progress/state.json,line=3,col=12,title=harness%3A Harness.StateFileInvalid::state.json(3,12): invalid JSON (repair it)\n", log.ToString());
    }
}

/// <summary>A strict reader of <c>$GITHUB_OUTPUT</c> (the runner's two forms); throws on anything malformed.</summary>
internal static class GitHubOutputFile
{
    public static Dictionary<string, string> Parse(string text)
    {
        var result = new Dictionary<string, string>();
        var lines = text.Split('\n');
        if (lines[^1].Length != 0)
        {
            throw new FormatException("the file does not end with a newline");
        }

        for (var i = 0; i < lines.Length - 1; i++)
        {
            var line = lines[i].TrimEnd('\r');
            var eq = line.IndexOf('=');
            var heredoc = line.IndexOf("<<", StringComparison.Ordinal);
            if (eq > 0 && (heredoc < 0 || eq < heredoc))
            {
                result.Add(line[..eq], line[(eq + 1)..]);
                continue;
            }

            if (heredoc <= 0)
            {
                throw new FormatException($"line {i + 1} is neither name=value nor name<<delimiter: {line}");
            }

            var name = line[..heredoc];
            var delimiter = line[(heredoc + 2)..];
            if (!delimiter.StartsWith("ghadelimiter_", StringComparison.Ordinal))
            {
                throw new FormatException($"line {i + 1}: unexpected delimiter {delimiter}");
            }

            var value = new List<string>();
            for (i++; ; i++)
            {
                if (i >= lines.Length - 1)
                {
                    throw new FormatException($"delimiter {delimiter} of {name} never closes");
                }

                if (lines[i].TrimEnd('\r') == delimiter)
                {
                    break;
                }

                value.Add(lines[i]);
            }

            var joined = string.Join("\n", value);
            result.Add(name, joined.EndsWith('\r') ? joined[..^1] : joined);
        }

        return result;
    }
}
