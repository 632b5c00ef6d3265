using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Switchboard.Testing.Fleet;

namespace Switchboard.Bench.Shared;

/// <summary>
/// The fleet (<c>switchboard agents</c>) outside the benchmark's process, so the manager's CPU and memory
/// are measured without the fleet's. A fleet needs two sockets per agent; when that exceeds the open-file
/// limit one process may have (a container may cap it below what 10,000 agents need, even for root), it
/// runs as several processes, each a contiguous slice (<c>--shard K/M</c>) of the same fleet.
/// </summary>
internal sealed class FleetProcess : IAsyncDisposable
{
    private readonly IReadOnlyList<AgentsProcess> _processes;
    private readonly string? _ledgerDirectory;

    private FleetProcess(IReadOnlyList<AgentsProcess> processes, string? ledgerDirectory)
    {
        _processes = processes;
        _ledgerDirectory = ledgerDirectory;
    }

    public IReadOnlyList<int> Pids => _processes.Select(p => p.Pid).ToArray();

    public bool HasExited => _processes.Any(p => p.HasExited);

    /// <summary>The command line(s) the fleet runs with, for the report.</summary>
    public string CommandLine => string.Join(" ; ", _processes.Select(p => p.CommandLine));

    /// <param name="extraArguments">Appended to every <c>agents</c> command line, e.g. <c>--fault stall --fault-share 0.1</c>.</param>
    /// <param name="ledgerDirectory">When set, each process records the numbered messages its agents receive in a ledger file there (<see cref="LedgerAsync"/>).</param>
    public static async Task<FleetProcess> StartAsync(ChildCommand cli, string pkiDirectory, int count, int port, TimeSpan readyTimeout, TextWriter log,
        IReadOnlyList<string>? extraArguments = null, string? ledgerDirectory = null)
    {
        var shards = Math.Min(count, FileLimit.FleetProcesses(count));
        string[] Ledger(int k) => ledgerDirectory is null ? [] : ["--ledger", Path.Combine(ledgerDirectory, $"ledger-{k}.bin")];
        if (shards == 1)
        {
            return new FleetProcess([await AgentsProcess.StartAsync(cli, pkiDirectory, count, count, port, readyTimeout, log, [.. extraArguments ?? [], .. Ledger(0)])], ledgerDirectory);
        }

        log.WriteLine($"fleet: {count} agents need more open files than one process may hold; starting {shards} processes");
        var started = new List<AgentsProcess>();
        try
        {
            // One after another: each loads its agents' keys with every core, and a failure stops the rest.
            for (var k = 0; k < shards; k++)
            {
                var first = (int)((long)count * k / shards);
                var slice = (int)((long)count * (k + 1) / shards) - first;
                string[] arguments = [.. extraArguments ?? [], .. Ledger(k), "--shard", string.Create(CultureInfo.InvariantCulture, $"{k}/{shards}")];
                started.Add(await AgentsProcess.StartAsync(cli, pkiDirectory, slice, count, port, readyTimeout, log, arguments));
            }
        }
        catch
        {
            await Task.WhenAll(started.Select(p => p.DisposeAsync().AsTask()));
            throw;
        }

        return new FleetProcess(started, ledgerDirectory);
    }

    /// <summary>
    /// The numbered messages every process's agents have received, each once: asks each process for its
    /// count (which rewrites its ledger first), then merges the ledgers.
    /// </summary>
    public async Task<DeliveryLedger> LedgerAsync(TimeSpan timeout)
    {
        if (_ledgerDirectory is null)
        {
            throw new InvalidOperationException("the fleet was started without a ledger directory");
        }

        await ReceivedAsync(timeout);
        var merged = new DeliveryLedger();
        for (var k = 0; k < _processes.Count; k++)
        {
            merged.Merge(DeliveryLedger.ReadFrom(Path.Combine(_ledgerDirectory, $"ledger-{k}.bin")));
        }

        return merged;
    }

    /// <summary>Application frames the agents of every process have received so far.</summary>
    /// <inheritdoc cref="AgentsProcess.ReceivedAsync"/>
    public async Task<long> ReceivedAsync(TimeSpan timeout) =>
        (await Task.WhenAll(_processes.Select(p => p.ReceivedAsync(timeout)))).Sum();

    /// <summary>A port free on the first agent's address; every agent listens on its own 127.10.x.y, so that one suffices.</summary>
    public static int FreePort()
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        socket.Bind(new IPEndPoint(AgentAddresses.For(0), 0));
        return ((IPEndPoint)socket.LocalEndPoint!).Port;
    }

    public async ValueTask DisposeAsync() =>
        await Task.WhenAll(_processes.Select(p => p.DisposeAsync().AsTask()));
}
