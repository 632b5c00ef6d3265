using System.Runtime.InteropServices;
using Switchboard.Testing.Pki;

namespace Switchboard.Testing.Fleet;

/// <summary>
/// A fleet as a process of its own, as <c>switchboard agents</c> and the benchmark's fleet processes run it:
/// <c>agents --certs DIR --count N [--port P] [--fault MODE] [--fault-share S] [--flap-every SECONDS] [--shard K/M] [--psk-ke]</c>:
/// a fleet of echoing agents on loopback until SIGINT/SIGTERM. SIGUSR1 makes every agent drop its links
/// (the storm benchmark's "agentdrop"). With <c>--fault</c>, a share S (default 1) of the agents, spread
/// evenly, misbehaves; they are listed on a <c>faulty</c> line before <c>ready N</c>. SIGUSR2 prints
/// <c>received N</c>, the application frames the agents have received so far (the <c>faults</c> benchmark
/// counts deliveries with it); the same line is printed at exit. With <c>--ledger FILE</c> the agents also
/// record each numbered message (<see cref="DeliveryLedger"/>), and FILE is rewritten before each
/// <c>received</c> line, so a reader of that line finds the ledger it counts. <c>--shard K/M</c> runs only the K-th of M
/// contiguous slices of the fleet of N (names, addresses and faulty agents as in the whole fleet), for
/// fleets that need more open files than one process may hold; <c>ready</c> then counts the slice. With
/// <c>--psk-ke</c> the agents resume TLS 1.3 by psk_ke when a master offers it (<see cref="PskKePreference"/>).
/// </summary>
public static class FleetHost
{
    // SIGUSR1 on Linux; PosixSignal has no name for it, but raw numbers are accepted on Unix.
    private const int SigUsr1 = 10;
    private const int SigUsr2 = 12;

    /// <summary>Runs the fleet the arguments describe until SIGINT or SIGTERM; 0 on a clean stop, 1 when it cannot start.</summary>
    /// <exception cref="UsageException">The arguments are wrong.</exception>
    public static async Task<int> RunAsync(Arguments args)
    {
        var pki = new PkiLayout(args.Required("certs"));
        var count = args.Int("count", fallback: -1, min: 1, max: 1_000_000);
        if (count < 0)
        {
            throw new UsageException("missing --count");
        }

        var port = args.Int("port", AgentAddresses.DefaultPort, 1, 65535);
        var (first, slice) = ReadShard(args.Optional("shard"), count);
        var faults = ReadFaults(args);
        var ledgerPath = args.Optional("ledger");
        var pskKe = args.Flag("psk-ke");
        args.RejectUnknown();
        if (!File.Exists(pki.CaCertificate))
        {
            Console.Error.WriteLine($"agents: {pki.CaCertificate} not found (run `switchboard certs --out {pki.Directory} --agents {count}` first)");
            return 1;
        }

        var missing = Enumerable.Range(first, slice).Select(PkiLayout.AgentName).FirstOrDefault(n => !File.Exists(pki.AgentCertificate(n)));
        if (missing is not null)
        {
            Console.Error.WriteLine($"agents: no certificate for {missing} in {pki.AgentsDirectory} (generate at least {count} agents)");
            return 1;
        }

        if (faults?.Mode == FaultMode.Expired && !File.Exists(pki.CaKey))
        {
            Console.Error.WriteLine($"agents: --fault expired mints certificates with the fleet's CA, but {pki.CaKey} is missing");
            return 1;
        }

        var stop = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);
        using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);

        var ledger = ledgerPath is null ? null : new DeliveryLedger();
        FrameObserver? record = ledger is null ? null : ledger.Record;
        await using var fleet = await AgentFleet.StartAsync(pki, slice, port, faults: faults, observe: record is null ? null : _ => record, first: first, total: count, preferPskKe: pskKe);
        // Registered only once the fleet exists: until then SIGUSR1 keeps its default action.
        using var sigusr1 = PosixSignalRegistration.Create((PosixSignal)SigUsr1, context =>
        {
            context.Cancel = true;
            fleet.DropAllLinks();
        });
        using var sigusr2 = PosixSignalRegistration.Create((PosixSignal)SigUsr2, context =>
        {
            context.Cancel = true;
            PrintReceived(fleet, ledger, ledgerPath);
        });
        if (faults is not null)
        {
            var names = fleet.FaultyIndices.Select(PkiLayout.AgentName);
            Console.Out.WriteLine($"faulty {faults.Mode.Name()} {fleet.FaultyIndices.Count}/{fleet.Count}: {string.Join(',', names)}");
        }

        Console.Out.WriteLine($"ready {fleet.Count}");
        await Console.Out.FlushAsync();
        await stop.Task;
        PrintReceived(fleet, ledger, ledgerPath);
        Console.Out.WriteLine($"stopping {fleet.Count} agents");
        return 0;

        void Stop(PosixSignalContext context)
        {
            context.Cancel = true;
            stop.TrySetResult();
        }
    }

    // Console.Out is synchronized; the flush makes the line reach a reader on a pipe at once.
    private static void PrintReceived(AgentFleet fleet, DeliveryLedger? ledger, string? ledgerPath)
    {
        if (ledger is not null)
        {
            ledger.WriteTo(ledgerPath!);
        }

        Console.Out.WriteLine($"received {fleet.ReceivedFrames}");
        Console.Out.Flush();
    }

    /// <returns>The first agent and the number of agents of slice K of M of a fleet of <paramref name="count"/>.</returns>
    private static (int First, int Count) ReadShard(string? text, int count)
    {
        if (text is null)
        {
            return (0, count);
        }

        var parts = text.Split('/');
        if (parts.Length != 2 || !int.TryParse(parts[0], out var k) || !int.TryParse(parts[1], out var m) || m < 1 || k < 0 || k >= m || m > count)
        {
            throw new UsageException($"--shard must be K/M with 0 <= K < M <= --count, not '{text}'");
        }

        var first = (int)((long)count * k / m);
        return (first, (int)((long)count * (k + 1) / m) - first);
    }

    private static FaultSpec? ReadFaults(Arguments args)
    {
        var modeText = args.Optional("fault");
        var shareGiven = args.Optional("fault-share") is not null;
        var flapGiven = args.Optional("flap-every") is not null;
        if (modeText is null)
        {
            if (shareGiven || flapGiven)
            {
                throw new UsageException("--fault-share and --flap-every need --fault MODE");
            }

            return null;
        }

        if (!FaultModeNames.TryParse(modeText, out var mode))
        {
            throw new UsageException($"unknown fault mode '{modeText}' (one of: {string.Join(", ", FaultModeNames.All.Select(m => m.Name()))})");
        }

        var share = args.Double("fault-share", 1.0, 0.0, 1.0);
        var flapSeconds = args.Double("flap-every", FaultSpec.DefaultFlapEvery.TotalSeconds, 0.1, 3600);
        if (flapGiven && mode != FaultMode.Flap)
        {
            throw new UsageException("--flap-every only applies to --fault flap");
        }

        return new FaultSpec(mode, share, TimeSpan.FromSeconds(flapSeconds));
    }
}
