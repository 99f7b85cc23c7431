using System.Management.Automation;
using System.Text;

namespace Harness.PowerShell.Hosting;

/// <summary>
/// Lines for the host, as Write-Host writes them (the information stream, tagged PSHOST): where
/// Core's CI reporters write their workflow commands. A GitHub Actions or Azure DevOps step reads
/// them from pwsh's output; a script can still capture or silence them (<c>6&gt;</c>, -InformationAction).
/// </summary>
internal sealed class HostTextWriter(CmdletHost host, Cmdlet cmdlet) : TextWriter
{
    private readonly StringBuilder _line = new();

    public override Encoding Encoding => Encoding.UTF8;

    public override void Write(char value)
    {
        if (value == '\n')
        {
            EmitLine();
            return;
        }

        if (value != '\r')
        {
            _line.Append(value);
        }
    }

    public override void Write(string? value)
    {
        foreach (var c in value ?? "")
        {
            Write(c);
        }
    }

    public override void WriteLine(string? value)
    {
        Write(value);
        EmitLine();
    }

    /// <summary>Writes the pending part of a line, if any.</summary>
    public override void Flush()
    {
        if (_line.Length > 0)
        {
            EmitLine();
        }
    }

    private void EmitLine()
    {
        var line = _line.ToString();
        _line.Clear();
        host.Post(() => cmdlet.WriteInformation(new HostInformationMessage { Message = line, NoNewLine = false }, ["PSHOST"]));
    }
}
