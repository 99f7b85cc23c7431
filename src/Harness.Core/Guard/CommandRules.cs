namespace Harness.Core.Guard;

/// <summary>
/// The Bash allowlist: every simple command of a command line (substitutions included) must name
/// an allowed program; some programs have argument rules (as the Anthropic autonomous-coding
/// quickstart does for <c>pkill</c> and <c>chmod</c>); redirections and file-changing commands
/// obey the same path rules as the Write tool.
/// </summary>
internal static class CommandRules
{
    /// <summary>Allowed without configuration; <c>guard.allowed_commands</c> adds to it.</summary>
    public static readonly IReadOnlyList<string> DefaultAllowed =
    [
        // inspection
        "ls", "cat", "head", "tail", "wc", "grep", "egrep", "fgrep", "rg", "find", "tree", "file", "stat", "du", "df",
        "diff", "cmp", "sort", "uniq", "cut", "tr", "awk", "sed", "jq", "basename", "dirname", "realpath", "readlink",
        "which", "type", "echo", "printf", "true", "false", "test", "[", "pwd", "cd", "date", "sleep", "export", "unset", "set",
        // files (argument rules: paths stay inside the project)
        "cp", "mv", "mkdir", "touch", "rm", "chmod", "tee",
        // processes
        "ps", "lsof", "pgrep", "pkill",
        // version control and build tools
        "git", "npm", "npx", "pnpm", "yarn", "node", "bun", "deno", "tsc",
        "python", "python3", "pip", "pip3", "pytest", "uv", "poetry",
        "dotnet", "cargo", "rustc", "go", "make", "cmake", "ctest", "mvn", "gradle", "java", "javac", "ruby", "bundle", "rake",
        "harness",
        // the project's init script, as the quickstart allows it
        "./init.sh",
    ];

    /// <summary>Processes <c>pkill</c> may target (the quickstart's list plus common dev servers).</summary>
    public static readonly IReadOnlySet<string> PkillTargets = new HashSet<string>(StringComparer.Ordinal)
    {
        "node", "npm", "npx", "vite", "next", "python", "python3", "uvicorn", "gunicorn", "flask", "dotnet",
    };

    private static readonly HashSet<string> Prefixes = new(StringComparer.Ordinal) { "!", "{", "}", "then", "else", "elif", "do", "if", "while", "until", "fi", "done", "time" };

    private static readonly HashSet<string> Unsupported = new(StringComparer.Ordinal) { "case", "esac", "function", "coproc", "select" };

    private static readonly HashSet<string> Escalation = new(StringComparer.Ordinal) { "sudo", "su", "doas", "pkexec", "runas" };

    private static readonly HashSet<string> Shells = new(StringComparer.Ordinal) { "bash", "sh", "zsh", "dash", "ksh" };

    private static readonly HashSet<string> DeviceFiles = new(StringComparer.Ordinal) { "/dev/null", "/dev/stdout", "/dev/stderr", "/dev/tty" };

    private const int MaxShellNesting = 4;

    /// <summary>Null when <paramref name="command"/> may run; else the one-line reason.</summary>
    public static string? Check(string command, string cwd, GuardContext context) => Check(command, cwd, context, 0);

    private static string? Check(string command, string cwd, GuardContext context, int nesting)
    {
        var parsed = ShellParser.Parse(command);
        if (!parsed.Success)
        {
            return $"harness guard: blocked a Bash command that cannot be parsed safely ({parsed.Error}). Write it as plain commands joined with && or ;, with literal program names and closed quotes.";
        }

        // A literal `cd` moves later relative paths; check them against every folder the line may be in.
        var bases = new List<string> { cwd };
        foreach (var simple in parsed.Commands)
        {
            if (CheckSimple(simple, bases, context, nesting) is { } reason)
            {
                return reason;
            }
        }

        return null;
    }

    private static string? CheckSimple(ShellSimpleCommand simple, List<string> bases, GuardContext context, int nesting)
    {
        foreach (var redirection in simple.Redirections)
        {
            if (!redirection.Writes)
            {
                continue;
            }

            var target = redirection.Target;
            if (!target.IsLiteral)
            {
                return $"harness guard: blocked a redirection to '{target.Text}': the target must be a literal path. Write the file name out.";
            }

            if (DeviceFiles.Contains(target.Text) || target.Text.StartsWith("/dev/fd/", StringComparison.Ordinal))
            {
                continue;
            }

            if (GuardPolicy.CheckWrite(target.Text, bases, context, "a redirection", destructive: false) is { } reason)
            {
                return reason;
            }
        }

        return CheckWords(simple.Words, 0, bases, context, nesting);
    }

    private static string? CheckWords(List<ShellWord> words, int i, List<string> bases, GuardContext context, int nesting)
    {
        while (i < words.Count && (words[i].AssignmentName is not null || (words[i].IsLiteral && Prefixes.Contains(words[i].Text))))
        {
            i++;
        }

        if (i < words.Count && words[i].Text == "-p" && i > 0 && words[i - 1].Text == "time")
        {
            i++;
        }

        if (i >= words.Count)
        {
            return null;
        }

        var program = words[i];
        var name = program.Text;
        if (program.IsLiteral && (name is "for" or "[[" or "]]"))
        {
            // `for x in words` and `[[ test ]]` run nothing themselves; substitutions in them were split out.
            return null;
        }

        if (!program.IsLiteral)
        {
            return $"harness guard: blocked a command whose program is not written literally ('{name}'). Name the program directly, e.g. 'git status'.";
        }

        if (Unsupported.Contains(name))
        {
            return $"harness guard: blocked a Bash command using '{name}', which the guard cannot check. Write it as plain commands joined with && or ;.";
        }

        if (Escalation.Contains(name))
        {
            return $"harness guard: blocked '{name}': no privilege escalation from the agent. Ask the user to run it if it is needed.";
        }

        var args = words.GetRange(i + 1, words.Count - i - 1);
        switch (name)
        {
            case "env":
                return Wrapped(words, SkipOptions(words, i + 1, ["-u", "--unset", "-C", "--chdir", "-S", "--split-string"], skipAssignments: true), bases, context, nesting, name);
            case "nohup" or "exec" or "builtin":
                return Wrapped(words, SkipOptions(words, i + 1, [], skipAssignments: false), bases, context, nesting, name);
            case "command":
                return args.Any(a => a.Text is "-v" or "-V") ? null : Wrapped(words, SkipOptions(words, i + 1, [], skipAssignments: false), bases, context, nesting, name);
            case "nice":
                return Wrapped(words, SkipOptions(words, i + 1, ["-n", "--adjustment"], skipAssignments: false), bases, context, nesting, name);
            case "timeout":
            {
                var j = SkipOptions(words, i + 1, ["-s", "--signal", "-k", "--kill-after"], skipAssignments: false);
                return Wrapped(words, j + 1, bases, context, nesting, name); // skip the duration
            }

            case "xargs":
            {
                var j = SkipOptions(words, i + 1, ["-I", "-i", "-n", "-P", "-L", "-l", "-s", "-d", "-E", "-e", "-a", "--max-args", "--max-procs", "--delimiter", "--arg-file", "--replace", "--max-lines", "--eof"], skipAssignments: false);
                return j >= words.Count ? null : Wrapped(words, j, bases, context, nesting, name);
            }
        }

        if (Shells.Contains(name) && ShellScript(args) is { } script)
        {
            if (!script.IsLiteral)
            {
                return $"harness guard: blocked '{name} -c' with a script that is not literal. Run the commands directly.";
            }

            if (nesting >= MaxShellNesting)
            {
                return $"harness guard: blocked '{name} -c' nested too deeply. Run the commands directly.";
            }

            return Check(script.Text, bases[^1], context, nesting + 1);
        }

        if (!IsAllowed(name, context))
        {
            var hint = name.Contains('/') ? " Run programs by name (as on the allowlist), not by path." : "";
            return $"harness guard: blocked '{name}': it is not on the guard's command allowlist.{hint} Use an allowed command, or ask the user to add it to guard.allowed_commands in .claude/config/project.json.";
        }

        return ArgumentRules(name, args, bases, context);
    }

    private static string? Wrapped(List<ShellWord> words, int next, List<string> bases, GuardContext context, int nesting, string wrapper) =>
        next >= words.Count ? null : CheckWords(words, next, bases, context, nesting);

    /// <summary>Index of the first word after the options (and, for env, assignments); options in <paramref name="withValue"/> take the next word.</summary>
    private static int SkipOptions(List<ShellWord> words, int j, string[] withValue, bool skipAssignments)
    {
        while (j < words.Count)
        {
            var t = words[j].Text;
            if (t == "--")
            {
                return j + 1;
            }

            if (skipAssignments && words[j].AssignmentName is not null)
            {
                j++;
                continue;
            }

            if (t.Length > 1 && t[0] == '-')
            {
                j += Array.IndexOf(withValue, t) >= 0 ? 2 : 1;
                continue;
            }

            return j;
        }

        return j;
    }

    /// <summary>For <c>bash [-opts] -c SCRIPT</c>: SCRIPT; null when it is not that form.</summary>
    private static ShellWord? ShellScript(List<ShellWord> args)
    {
        for (var k = 0; k < args.Count; k++)
        {
            var t = args[k].Text;
            if (t.Length > 1 && t[0] == '-' && !t.StartsWith("--", StringComparison.Ordinal))
            {
                if (t.Contains('c'))
                {
                    return k + 1 < args.Count ? args[k + 1] : null;
                }

                continue;
            }

            return null;
        }

        return null;
    }

    private static bool IsAllowed(string name, GuardContext context)
    {
        foreach (var list in new[] { DefaultAllowed, context.Settings.AllowedCommands })
        {
            foreach (var allowed in list)
            {
                if (string.Equals(allowed, name, StringComparison.Ordinal))
                {
                    return true;
                }
            }
        }

        if (context.InitScript is { Length: > 0 } init)
        {
            var normalized = init.StartsWith("./", StringComparison.Ordinal) || init.StartsWith('/') ? init : "./" + init;
            return name == normalized || name == init;
        }

        return false;
    }

    private static string? ArgumentRules(string name, List<ShellWord> args, List<string> bases, GuardContext context)
    {
        switch (name)
        {
            case "pkill":
                return Pkill(args);
            case "chmod":
                return Chmod(args) ?? Paths(name, Operands(args, skipFirst: true), bases, context, destructive: false);
            case "rm":
                return Paths(name, Operands(args, skipFirst: false), bases, context, destructive: true);
            case "mv":
                return Paths(name, Operands(args, skipFirst: false, withValue: ["-t", "-S", "--suffix"]), bases, context, destructive: true)
                    ?? Paths(name, TargetDirectory(args), bases, context, destructive: false);
            case "touch" or "mkdir" or "tee":
                return Paths(name, Operands(args, skipFirst: false, withValue: ["-m", "--mode", "-d", "-r", "-t"]), bases, context, destructive: false);
            case "cp":
            {
                var target = TargetDirectory(args);
                if (target.Count == 0)
                {
                    var operands = Operands(args, skipFirst: false, withValue: ["-S", "--suffix"]);
                    target = operands.Count > 0 ? [operands[^1]] : [];
                }

                return Paths(name, target, bases, context, destructive: false);
            }

            case "sed":
                return SedInPlace(args, bases, context);
            case "cd":
                return Cd(args, bases, context);
            case "find":
                foreach (var a in args)
                {
                    if (a.Text is "-exec" or "-execdir" or "-ok" or "-okdir" or "-delete" or "-fprint" or "-fprint0" or "-fprintf" or "-fls")
                    {
                        return $"harness guard: blocked 'find {a.Text}': find may only list files here. Run an allowed command on the files it lists instead.";
                    }
                }

                return null;
            case "git":
                return Git(args, bases, context);
            default:
                return null;
        }
    }

    /// <summary>The quickstart's rule: pkill only dev processes, by name.</summary>
    private static string? Pkill(List<ShellWord> args)
    {
        var targets = args.Where(a => !a.Text.StartsWith('-')).ToList();
        if (targets.Count != 1)
        {
            return "harness guard: blocked pkill: give exactly one process name (e.g. 'pkill -f node').";
        }

        var target = targets[0];
        var process = target.Text.Split(' ', 2)[0];
        if (!target.IsLiteral || !PkillTargets.Contains(process))
        {
            return $"harness guard: blocked 'pkill {target.Text}': only dev processes may be stopped ({string.Join(", ", PkillTargets.Order(StringComparer.Ordinal))}).";
        }

        return null;
    }

    /// <summary>The quickstart's rule: chmod only to make files executable (+x, u+x, a+x ...), no options.</summary>
    private static string? Chmod(List<ShellWord> args)
    {
        if (args.Count < 2)
        {
            return "harness guard: blocked chmod: give a mode and at least one file (e.g. 'chmod +x scripts/run.sh').";
        }

        if (args.Any(a => a.Text.StartsWith('-')))
        {
            return "harness guard: blocked chmod with options (-R ...): only 'chmod +x FILE' is allowed.";
        }

        var mode = args[0].Text;
        var k = 0;
        while (k < mode.Length && mode[k] is 'u' or 'g' or 'o' or 'a')
        {
            k++;
        }

        if (!args[0].IsLiteral || mode[k..] != "+x")
        {
            return $"harness guard: blocked 'chmod {mode}': only making files executable (+x, u+x, a+x) is allowed.";
        }

        return null;
    }

    private static List<ShellWord> Operands(List<ShellWord> args, bool skipFirst, string[]? withValue = null)
    {
        var result = new List<ShellWord>();
        var options = true;
        for (var k = 0; k < args.Count; k++)
        {
            var t = args[k].Text;
            if (options && t == "--")
            {
                options = false;
                continue;
            }

            if (options && t.Length > 1 && t[0] == '-' && args[k].IsLiteral)
            {
                if (withValue is not null && Array.IndexOf(withValue, t) >= 0)
                {
                    k++;
                }

                continue;
            }

            result.Add(args[k]);
        }

        if (skipFirst && result.Count > 0)
        {
            result.RemoveAt(0);
        }

        return result;
    }

    private static List<ShellWord> TargetDirectory(List<ShellWord> args)
    {
        for (var k = 0; k < args.Count; k++)
        {
            if (args[k].Text is "-t" or "--target-directory" && k + 1 < args.Count)
            {
                return [args[k + 1]];
            }

            if (args[k].Text.StartsWith("--target-directory=", StringComparison.Ordinal))
            {
                var value = args[k].Text["--target-directory=".Length..];
                return [args[k] with { Text = value }];
            }
        }

        return [];
    }

    private static string? Paths(string program, List<ShellWord> paths, List<string> bases, GuardContext context, bool destructive)
    {
        foreach (var path in paths)
        {
            if (path.HasExpansion)
            {
                return $"harness guard: blocked '{program}' on '{path.Text}': file arguments of {program} must be literal paths (no $variables, ~ or substitutions). Write the path out.";
            }

            if (GuardPolicy.CheckWrite(path.Text, bases, context, $"'{program}'", destructive) is { } reason)
            {
                return reason;
            }
        }

        return null;
    }

    private static string? SedInPlace(List<ShellWord> args, List<string> bases, GuardContext context)
    {
        var inPlace = false;
        var scriptGiven = false;
        var operands = new List<ShellWord>();
        for (var k = 0; k < args.Count; k++)
        {
            var t = args[k].Text;
            if (t is "-e" or "--expression" or "-f" or "--file")
            {
                scriptGiven = true;
                k++;
                continue;
            }

            if (t.StartsWith("-i", StringComparison.Ordinal) || t.StartsWith("--in-place", StringComparison.Ordinal) ||
                (t.Length > 1 && t[0] == '-' && t[1] != '-' && t.Contains('i')))
            {
                inPlace = true;
                continue;
            }

            if (t.Length > 1 && t[0] == '-')
            {
                continue;
            }

            operands.Add(args[k]);
        }

        if (!inPlace)
        {
            return null;
        }

        if (!scriptGiven && operands.Count > 0)
        {
            operands.RemoveAt(0);
        }

        return Paths("sed -i", operands, bases, context, destructive: false);
    }

    private static string? Cd(List<ShellWord> args, List<string> bases, GuardContext context)
    {
        var operands = Operands(args, skipFirst: false);
        if (operands.Count == 0 || !operands[0].IsLiteral || operands[0].Text == "-")
        {
            return "harness guard: blocked 'cd' without a literal folder: stay inside the project (e.g. 'cd src/app'), or use paths relative to the project root.";
        }

        var target = operands[0].Text;
        foreach (var baseDirectory in bases.ToArray())
        {
            if (context.Paths.Classify(target, baseDirectory, out var resolved, out _) == PathVerdict.Outside)
            {
                return $"harness guard: blocked 'cd {target}': it leads to {resolved}, outside the project {context.Paths.Root}. Stay inside the project.";
            }

            bases.Add(resolved);
        }

        return null;
    }

    private static readonly string[] GitValueOptions = ["-C", "-c", "--git-dir", "--work-tree", "--namespace", "--exec-path", "--config-env"];

    private static string? Git(List<ShellWord> args, List<string> bases, GuardContext context)
    {
        var k = 0;
        while (k < args.Count && args[k].Text.StartsWith('-'))
        {
            var t = args[k].Text;
            if (t == "-c" && k + 1 < args.Count)
            {
                var key = args[k + 1].Text.Split('=', 2)[0].ToLowerInvariant();
                if (!SafeGitConfigKey(key))
                {
                    return $"harness guard: blocked 'git -c {key}=...': only user.*, color.*, advice.*, init.* and commit.gpgsign may be set this way.";
                }
            }
            else if (t is "-C" or "--git-dir" or "--work-tree" && k + 1 < args.Count)
            {
                var dir = args[k + 1];
                if (!dir.IsLiteral || context.Paths.Classify(dir.Text, bases[^1], out _, out _) == PathVerdict.Outside)
                {
                    return $"harness guard: blocked 'git {t} {dir.Text}': git may only work on this project.";
                }
            }
            else if (t.StartsWith("--git-dir=", StringComparison.Ordinal) || t.StartsWith("--work-tree=", StringComparison.Ordinal) || t.StartsWith("--exec-path", StringComparison.Ordinal))
            {
                return $"harness guard: blocked 'git {t}': git may only work on this project, with its own settings.";
            }

            k += Array.IndexOf(GitValueOptions, t) >= 0 ? 2 : 1;
        }

        if (k >= args.Count)
        {
            return null;
        }

        var sub = args[k].Text;
        var rest = args.Skip(k + 1).Select(a => a.Text).ToList();
        bool Has(params string[] flags) => rest.Any(r => flags.Contains(r) || flags.Any(f => f.StartsWith("--", StringComparison.Ordinal) && r.StartsWith(f + "=", StringComparison.Ordinal)));
        bool ShortFlag(char flag) => rest.Any(r => r.Length > 1 && r[0] == '-' && r[1] != '-' && r.Contains(flag));
        switch (sub)
        {
            case "push":
                if (Has("--force", "--force-with-lease", "--mirror", "--delete", "--prune") || ShortFlag('f') || ShortFlag('d') ||
                    rest.Any(r => !r.StartsWith('-') && (r.StartsWith('+') || r.StartsWith(':'))))
                {
                    return "harness guard: blocked a forced or deleting 'git push': never rewrite or delete remote history. Push normally, or ask the user.";
                }

                return null;
            case "reset":
                if (Has("--hard", "--merge", "--keep"))
                {
                    return "harness guard: blocked 'git reset --hard': it throws work away. Use 'harness checkpoint restore' to go back to a checkpoint, or 'git stash'.";
                }

                return null;
            case "clean":
                if (Has("--force") || ShortFlag('f'))
                {
                    return "harness guard: blocked 'git clean -f': it deletes untracked files for good. Remove the specific files with rm instead.";
                }

                return null;
            case "config":
                var operands = rest.Where(r => !r.StartsWith('-')).ToList();
                var writes = operands.Count >= 2 || Has("--unset", "--unset-all", "--add", "--replace-all", "--rename-section", "--remove-section", "--edit") || ShortFlag('e');
                if (writes && (operands.Count == 0 || !SafeGitConfigKey(operands[0].ToLowerInvariant())))
                {
                    return $"harness guard: blocked 'git config' changing {(operands.Count > 0 ? operands[0] : "settings")}: only user.*, color.*, advice.*, init.* and commit.gpgsign may be changed by the agent.";
                }

                return null;
            case "filter-branch" or "filter-repo":
                return $"harness guard: blocked 'git {sub}': it rewrites history. Ask the user.";
            default:
                return null;
        }
    }

    private static bool SafeGitConfigKey(string key) =>
        key.StartsWith("user.", StringComparison.Ordinal) || key.StartsWith("color.", StringComparison.Ordinal) ||
        key.StartsWith("advice.", StringComparison.Ordinal) || key.StartsWith("init.", StringComparison.Ordinal) || key == "commit.gpgsign";
}
