using System.Runtime.InteropServices;
using Switchboard.Cli.Fleet;
using Switchboard.Pki;

namespace Switchboard.Cli;

/// <summary><c>agents --certs DIR --count N [--port P]</c>: a fleet of echoing agents on loopback until SIGINT/SIGTERM.</summary>
internal static class AgentsCommand
{
    public static async Task<int> RunAsync(Arguments args)
    {
        var pki = new PkiLayout(args.Required("certs"));
        var count = args.Int("count", fallback: -1, min: 1, max: 1_000_000);
        if (count < 0)
        {
            throw new UsageException("missing --count");
        }

        var port = args.Int("port", AgentAddresses.DefaultPort, 1, 65535);
        args.RejectUnknown();
        if (!File.Exists(pki.CaCertificate))
        {
            Console.Error.WriteLine($"switchboard agents: {pki.CaCertificate} not found (run `switchboard certs --out {pki.Directory} --agents {count}` first)");
            return 1;
        }

        var missing = Enumerable.Range(0, count).Select(PkiLayout.AgentName).FirstOrDefault(n => !File.Exists(pki.AgentCertificate(n)));
        if (missing is not null)
        {
            Console.Error.WriteLine($"switchboard agents: no certificate for {missing} in {pki.AgentsDirectory} (generate at least {count} agents)");
            return 1;
        }

        var stop = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);
        using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);

        await using var fleet = await AgentFleet.StartAsync(pki, count, port);
        Console.Out.WriteLine($"ready {fleet.Count}");
        await Console.Out.FlushAsync();
        await stop.Task;
        Console.Out.WriteLine($"stopping {fleet.Count} agents");
        return 0;

        void Stop(PosixSignalContext context)
        {
            context.Cancel = true;
            stop.TrySetResult();
        }
    }
}
