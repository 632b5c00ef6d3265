using Switchboard.Testing;
using Switchboard.Testing.Fleet;

namespace Switchboard.Cli;

/// <summary>Dispatches <c>switchboard &lt;command&gt;</c>; each command lives in its own file.</summary>
internal static class CommandLine
{
    public const int Usage = 2;

    public const string UsageText = """
        usage: switchboard <command> [options]      switchboard <command> --help: its options, defaults and an example
               switchboard --version

          demo    [--agents N] [--keep DIR]          connect an in-process fleet and show the numbers
          connect --config FILE [--status-file F] [--log-format text|json]   run as a daemon
          check   --config FILE                      validate a config without connecting
          certs   --out DIR --agents N [--key ecdsa-p256|rsa-2048|rsa-4096]
          certs revoke --certs DIR --name NAME   add an agent (or master) to the CA's revocation list, DIR/ca.crl
          agents  --certs DIR --count N [--port P] [--fault MODE] [--fault-share S] [--flap-every SECONDS]
                  MODE: stall, stall-mid, garbage, reset, slow, wrong-identity, expired, untrusted, flap, silent
                  [--shard K/M]  run only slice K of M of the fleet (fleets beyond one process's open-file limit)
                  [--ledger FILE]  record each numbered message once, in FILE, before each 'received N'
                  SIGUSR1 makes every agent drop its links; SIGUSR2 prints 'received N'
          probe   --certs DIR --name NAME --host H --port P [--count K] [--tls 1.2|1.3] [--echo] [--session-file F]
        """;

    public static async Task<int> RunAsync(string[] args)
    {
        if (args.Length == 0)
        {
            return Fail("no command given");
        }

        var rest = args[1..];
        if (args[0] is "--version" or "version")
        {
            Console.Out.WriteLine($"switchboard {Version}");
            return 0;
        }

        if (CommandHelp.Asked(rest) && args[0] is not ("-h" or "--help" or "help"))
        {
            return CommandHelp.Print(args[0]);
        }

        try
        {
            return args[0] switch
            {
                "certs" when rest is ["revoke", ..] => CertsCommand.Revoke(Arguments.Parse(rest[1..])),
                "certs" => CertsCommand.Run(Arguments.Parse(rest)),
                "agents" => await FleetHost.RunAsync(Arguments.Parse(rest)),
                "probe" => await ProbeCommand.RunAsync(Arguments.Parse(rest)),
                "connect" => await ConnectCommand.RunAsync(Arguments.Parse(rest)),
                "demo" => await DemoCommand.RunAsync(Arguments.Parse(rest)),
                "check" => CheckCommand.Run(Arguments.Parse(rest)),
                "-h" or "--help" or "help" => Help(),
                _ => Fail($"unknown command '{args[0]}'"),
            };
        }
        catch (UsageException e)
        {
            return Fail(e.Message);
        }
        finally
        {
            await Console.Out.FlushAsync();
        }
    }

    /// <summary>The informational version the build stamped (the package version).</summary>
    private static string Version =>
        (System.Reflection.Assembly.GetEntryAssembly()?.GetCustomAttributes(typeof(System.Reflection.AssemblyInformationalVersionAttribute), false)
            .OfType<System.Reflection.AssemblyInformationalVersionAttribute>().FirstOrDefault()?.InformationalVersion ?? "unknown").Split('+')[0];

    private static int Help()
    {
        Console.Out.WriteLine(UsageText);
        return 0;
    }

    internal static int Fail(string message)
    {
        Console.Error.WriteLine($"switchboard: {message}");
        Console.Error.WriteLine(UsageText);
        return Usage;
    }
}
