using System.CommandLine;
using Switchboard.Testing;
using Switchboard.Testing.Fleet;
using Switchboard.Testing.Pki;
using Switchboard.Tls;

namespace Switchboard.Cli;

/// <summary>
/// <c>switchboard &lt;command&gt;</c> on System.CommandLine: every command's options with their types, defaults
/// and valid values, <c>--help</c> (with an example and the exit codes), <c>--version</c>, and shell
/// completion through its <c>[suggest]</c> directive. Each command lives in its own file; a mistake on the
/// command line is named (with the valid values where there is a list) and exits 2.
/// </summary>
internal static class CommandLine
{
    public const int Usage = 2;

    public static async Task<int> RunAsync(string[] args)
    {
        var root = Build(args);
        var parse = root.Parse(args);
        // Asked for help, a command shows it even when its required options are missing.
        if (parse.Errors.Count > 0 && parse.Action is not CommandHelp.WithExample)
        {
            foreach (var error in parse.Errors)
            {
                Console.Error.WriteLine($"switchboard: {error.Message}");
            }

            var command = parse.CommandResult.Command;
            Console.Error.WriteLine(command == root
                ? "run 'switchboard --help' for the commands"
                : $"run 'switchboard {CommandPath(parse)} --help' for its options");
            return Usage;
        }

        try
        {
            // Usage errors thrown by a command are ours to report (exit 2), not the parser's (exit 1).
            return await parse.InvokeAsync(new InvocationConfiguration
            {
                EnableDefaultExceptionHandler = false,
                Output = new CommandNameWriter(Console.Out),
                ProcessTerminationTimeout = null, // the daemon and the fleet handle SIGTERM and SIGINT themselves, gracefully
            });
        }
        catch (UsageException e)
        {
            // Rules across options (a fleet's --shard against its --count, ...) are checked by the command itself.
            return Fail(e.Message);
        }
        finally
        {
            await Console.Out.FlushAsync();
        }
    }

    internal static int Fail(string message)
    {
        Console.Error.WriteLine($"switchboard: {message}");
        return Usage;
    }

    private static RootCommand Build(string[] args)
    {
        var root = new RootCommand("Switchboard: mutually authenticated TLS links from a monitoring master to thousands of agents.")
        {
            Demo(), Connect(), Check(), Certs(), Agents(args), Probe(),
        };
        CommandHelp.Extend(root);
        return root;
    }

    private static string CommandPath(ParseResult parse) =>
        string.Join(' ', Enumerable.Reverse(Ancestry(parse.CommandResult.Command, parse.RootCommandResult.Command)));

    private static IEnumerable<string> Ancestry(Command command, Command root)
    {
        for (var result = command; result != root; result = result.Parents.OfType<Command>().First())
        {
            yield return result.Name;
        }
    }

    private static Command Demo()
    {
        var agents = Bounded(new Option<int>("--agents") { Description = "Agents in the in-process fleet", DefaultValueFactory = _ => 2000 }, 1, 60_000);
        var keep = new Option<string?>("--keep") { Description = "Keep the generated PKI and session file in this directory (default: a temporary one, removed)" };
        var nodes = Bounded(new Option<int>("--nodes") { Description = "Masters: 1 runs one manager; 2 or more form a cluster in this process, kill one master and take a new one in, showing the moved endpoints resume", DefaultValueFactory = _ => 1 }, 1, 9);
        var command = new Command("demo", "Connect an in-process fleet on loopback, restart on the saved sessions, make the agents drop their links, and show what each storm cost. Needs no configuration.")
        {
            agents, keep, nodes,
        };
        command.SetAction((parse, _) => DemoCommand.RunAsync(parse.GetValue(agents), parse.GetValue(keep), parse.GetValue(nodes)));
        return command;
    }

    private static Command Connect()
    {
        var config = new Option<string>("--config") { Description = "The HOCON configuration; reference.conf supplies every default", Required = true };
        var statusFile = new Option<string?>("--status-file") { Description = "Where the status JSON is written every second" };
        var logFormat = new Option<string>("--log-format") { Description = "text: status lines and Akka's events as they are; json: every line one JSON object (timestamp, level, category, message)", DefaultValueFactory = _ => "text" };
        logFormat.AcceptOnlyFromAmong("text", "json");
        var command = new Command("connect", "Run the daemon: a status line (and --status-file) every second, SIGHUP reloads the configuration, SIGTERM closes every link with close_notify; switchboard.metrics adds /metrics, /status and /health over HTTP.")
        {
            config, statusFile, logFormat,
        };
        command.SetAction((parse, _) => ConnectCommand.RunAsync(parse.GetValue(config)!, parse.GetValue(statusFile), parse.GetValue(logFormat)!));
        return command;
    }

    private static Command Check()
    {
        var config = new Option<string>("--config") { Description = "The HOCON configuration to validate", Required = true };
        var command = new Command("check", "Validate a configuration without connecting: every problem with its path, and when the certificates and the CRL run out. Exits 0 when valid, 2 otherwise.")
        {
            config,
        };
        command.SetAction(parse => CheckCommand.Run(parse.GetValue(config)!));
        return command;
    }

    private static Command Certs()
    {
        var output = new Option<string>("--out") { Description = "Where to write ca.crt/.key, master.crt/.key and agents/agent-NNNNN.crt/.key", Required = true };
        var agents = Bounded(new Option<int>("--agents") { Description = "Agent certificates to issue", Required = true }, 0, 1_000_000);
        var key = new Option<string>("--key") { Description = "Key algorithm of every certificate", DefaultValueFactory = _ => KeyAlgorithm.EcdsaP256.Name() };
        key.AcceptOnlyFromAmong([.. Enum.GetValues<KeyAlgorithm>().Select(k => k.Name())]);
        var certs = new Option<string>("--certs") { Description = "A PKI written by `switchboard certs`", Required = true };
        var name = new Option<string>("--name") { Description = "The agent (or master) whose certificate is revoked", Required = true };
        var revoke = new Command("revoke", "Add a certificate to the CA's revocation list, DIR/ca.crl (valid for 7 days).") { certs, name };
        revoke.SetAction(parse => CertsCommand.Revoke(parse.GetValue(certs)!, parse.GetValue(name)!));
        var command = new Command("certs", "Write a test PKI (keys 0600) in the layout the other commands use.") { output, agents, key, revoke };
        command.SetAction(parse => CertsCommand.Run(parse.GetValue(output)!, parse.GetValue(agents), KeyAlgorithmNames.TryParse(parse.GetValue(key)!, out var algorithm) ? algorithm : KeyAlgorithm.EcdsaP256));
        return command;
    }

    /// <summary>
    /// The fleet is also run by the benchmark, through <see cref="FleetHost"/>, which owns its rules across
    /// options; here the options are declared for help, types, valid values and completion, and the
    /// validated command line is handed on as given.
    /// </summary>
    private static Command Agents(string[] args)
    {
        var certs = new Option<string>("--certs") { Description = "A PKI written by `switchboard certs`", Required = true };
        var count = Bounded(new Option<int>("--count") { Description = "Agents in the fleet (agent i listens on 127.10.x.y)", Required = true }, 1, 1_000_000);
        var port = Bounded(new Option<int>("--port") { Description = "The port every agent listens on", DefaultValueFactory = _ => AgentAddresses.DefaultPort }, 1, 65535);
        var fault = new Option<string?>("--fault") { Description = "Make a share of the agents misbehave this way" };
        fault.AcceptOnlyFromAmong([.. FaultModeNames.All.Select(m => m.Name())]);
        var share = new Option<double?>("--fault-share") { Description = "The share of agents that misbehave, 0..1 (default 1)" };
        var flap = new Option<double?>("--flap-every") { Description = "Seconds between a flapping agent's drops (--fault flap)" };
        var shard = new Option<string?>("--shard") { Description = "K/M: run only slice K of M of the fleet (beyond one process's open-file limit)" };
        var ledger = new Option<string?>("--ledger") { Description = "Record each numbered message once, in this file, before each 'received N'" };
        var pskKe = new Option<bool>("--psk-ke") { Description = "Resume TLS 1.3 by psk_ke (no fresh key exchange) when a master offers it, as agents on OpenSSL 3.3+ can" };
        var command = new Command("agents", "Run a fleet of echoing agents on loopback until SIGINT/SIGTERM; prints 'ready N' once all listen. SIGUSR1 makes every agent drop its links; SIGUSR2 prints 'received N'.")
        {
            certs, count, port, fault, share, flap, shard, ledger, pskKe,
        };
        command.SetAction((_, _) => FleetHost.RunAsync(Arguments.Parse(args[1..])));
        return command;
    }

    private static Command Probe()
    {
        var certs = new Option<string>("--certs") { Description = "A PKI written by `switchboard certs`; the master's identity is used", Required = true };
        var name = new Option<string>("--name") { Description = "The peer's expected identity (and SNI)", Required = true };
        var host = new Option<string>("--host") { Description = "Where the peer listens", Required = true };
        var port = Bounded(new Option<int>("--port") { Description = "The peer's port", Required = true }, 1, 65535);
        var count = Bounded(new Option<int>("--count") { Description = "Sequential connections", DefaultValueFactory = _ => 1 }, 1, 100_000);
        var tls = new Option<string?>("--tls") { Description = "Pin the TLS version (default: negotiate)" };
        tls.AcceptOnlyFromAmong("1.2", "1.3");
        var echo = new Option<bool>("--echo") { Description = "Send a frame and wait for it back on each connection" };
        var sessionFile = new Option<string?>("--session-file") { Description = "Resume from and save to this PEM session (as openssl s_client -sess_in/-sess_out)" };
        var command = new Command("probe", "Make K sequential connections to one peer as the master and print one JSON line each ('resumed' is OpenSSL's). Exits 0 only if all succeed.")
        {
            certs, name, host, port, count, tls, echo, sessionFile,
        };
        command.SetAction((parse, _) => ProbeCommand.RunAsync(parse.GetValue(certs)!, parse.GetValue(name)!, parse.GetValue(host)!, parse.GetValue(port), parse.GetValue(count),
            parse.GetValue(tls) switch { "1.2" => TlsVersion.Tls12, "1.3" => TlsVersion.Tls13, _ => null }, parse.GetValue(echo), parse.GetValue(sessionFile)));
        return command;
    }

    private static Option<int> Bounded(Option<int> option, int min, int max)
    {
        option.Validators.Add(result =>
        {
            var value = result.GetValueOrDefault<int>();
            if (value < min || value > max)
            {
                result.AddError($"{option.Name} must be between {min} and {max}, got {value}");
            }
        });
        return option;
    }
}
