using System.CommandLine;
using System.CommandLine.Help;
using System.CommandLine.Invocation;

namespace Switchboard.Cli;

/// <summary>
/// System.CommandLine's help for every command, followed by an example of the command and the exit codes
/// every command shares.
/// </summary>
internal static class CommandHelp
{
    private const string ExitCodes = "Exit codes:\n  0 ok, 2 usage or invalid configuration, 1 runtime failure";

    private static readonly Dictionary<string, string> Examples = new(StringComparer.Ordinal)
    {
        ["demo"] = "switchboard demo --agents 500",
        ["connect"] = "switchboard connect --config /etc/switchboard/switchboard.conf --status-file /run/switchboard/status.json",
        ["check"] = "switchboard check --config switchboard.conf",
        ["certs"] = "switchboard certs --out pki --agents 100 --key rsa-2048",
        ["revoke"] = "switchboard certs revoke --certs pki --name agent-00007",
        ["agents"] = "switchboard agents --certs pki --count 100 --fault stall --fault-share 0.1",
        ["probe"] = "switchboard probe --certs pki --name agent-00000 --host 127.10.0.0 --port 5665 --count 3",
    };

    public static void Extend(RootCommand root)
    {
        var help = root.Options.OfType<HelpOption>().Single();
        help.Action = new WithExample((SynchronousCommandLineAction)help.Action!);
    }

    internal sealed class WithExample(SynchronousCommandLineAction standard) : SynchronousCommandLineAction
    {
        public override int Invoke(ParseResult parseResult)
        {
            var exit = standard.Invoke(parseResult);
            if (Examples.TryGetValue(parseResult.CommandResult.Command.Name, out var example))
            {
                Console.Out.WriteLine($"Example:\n  {example}\n");
            }

            Console.Out.WriteLine(ExitCodes);
            return exit;
        }
    }
}

/// <summary>
/// The parser names the program after its file (<c>Switchboard.Cli</c> when run with <c>dotnet</c>); help shows
/// the command operators type, <c>switchboard</c>.
/// </summary>
internal sealed class CommandNameWriter(TextWriter inner) : TextWriter
{
    private static readonly string FileName = RootCommand.ExecutableName + " ";

    public override System.Text.Encoding Encoding => inner.Encoding;

    public override void Write(char value) => inner.Write(value);

    public override void Write(string? value) => inner.Write(value?.Replace(FileName, "switchboard ", StringComparison.Ordinal));

    public override void WriteLine(string? value) => inner.WriteLine(value?.Replace(FileName, "switchboard ", StringComparison.Ordinal));

    public override void Flush() => inner.Flush();
}
