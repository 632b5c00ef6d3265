using Spectre.Console;
using Switchboard.Cli.Demo;
using Switchboard.Testing;
using Switchboard.Testing.Fleet;
using Switchboard.Testing.Pki;

namespace Switchboard.Cli;

/// <summary>
/// <c>demo [--agents N] [--keep DIR] [--nodes M]</c>: the main job. Generates a PKI and an in-process fleet of agents in
/// a temp dir, connects a manager to all of them, restarts it on its persisted sessions, makes every agent
/// drop its link, and prints what each phase cost. Leaves nothing behind unless --keep is given.
/// </summary>
internal static class DemoCommand
{
    public static async Task<int> RunAsync(int agents, string? keep, int nodes = 1)
    {
        var directory = keep is not null ? Path.GetFullPath(keep) : Path.Combine(Path.GetTempPath(), "switchboard-demo-" + Guid.NewGuid().ToString("N")[..8]);
        var console = AnsiConsole.Console;
        if (Console.IsOutputRedirected)
        {
            // Logs and CI capture: no terminal to size against, so don't wrap the table at 80 columns.
            console.Profile.Width = 120;
        }

        try
        {
            console.MarkupLine(nodes == 1
                ? $"[bold]Switchboard demo[/]: {agents} agents on loopback, mutual TLS (ECDSA P-256), one manager."
                : $"[bold]Switchboard demo[/]: {agents} agents on loopback, mutual TLS (ECDSA P-256), a cluster of {nodes} masters sharing them (sessions replicated).");
            var pki = PkiLayout.Generate(Path.Combine(directory, "pki"), agents);
            console.MarkupLine($"generated a CA, the master's and {agents} agents' certificates in [grey]{pki.Directory}[/]");
            await using var fleet = await AgentFleet.StartAsync(pki, agents, port: 0);
            console.MarkupLine($"{fleet.Count} agents listening on 127.10.x.y");

            if (nodes > 1)
            {
                var clustered = await new ClusterDemoRun(pki, fleet, nodes, TimeSpan.FromSeconds(90)).RunAsync(console);
                console.Write(ClusterTable(clustered));
                var kill = clustered.Single(r => r.Phase == "kill");
                console.MarkupLine($"the dead master's {kill.Moved} endpoints were connected again on the survivors after [bold]{kill.Elapsed.TotalSeconds:F1} s[/] (failure detection and downing included); [bold]{kill.ResumedAfterMove}[/] resumed their sessions there. CPU is this whole process: every master and the fleet.");
                return clustered.All(r => r.Connected == r.Endpoints) ? 0 : 1;
            }

            var run = new DemoRun(pki, fleet, Path.Combine(directory, "switchboard.sessions"), TimeSpan.FromSeconds(60));
            var results = await run.RunAsync(console);
            console.Write(Table(results));
            var restart = results.Single(r => r.Phase == "restart");
            console.MarkupLine($"restart resumed [bold]{restart.ResumedShare:P1}[/] of its handshakes. CPU is this whole process: the manager and the in-process fleet (the storm benchmark runs the fleet in its own process to measure the manager alone).");
            return results.All(r => r.Connected == r.Endpoints) ? 0 : 1;
        }
        finally
        {
            if (keep is null)
            {
                try
                {
                    Directory.Delete(directory, recursive: true);
                }
                catch (IOException)
                {
                }
            }
            else
            {
                console.MarkupLine($"kept certificates and sessions in [grey]{directory}[/]");
            }
        }
    }

    private static Table ClusterTable(IReadOnlyList<ClusterPhaseResult> results)
    {
        var table = new Table().Border(TableBorder.Rounded)
            .AddColumn("phase").AddColumn(new TableColumn("masters").RightAligned()).AddColumn(new TableColumn("connected").RightAligned())
            .AddColumn(new TableColumn("time").RightAligned()).AddColumn(new TableColumn("full").RightAligned()).AddColumn(new TableColumn("resumed").RightAligned())
            .AddColumn(new TableColumn("moved / resumed after move").RightAligned())
            .AddColumn(new TableColumn("timeouts").RightAligned()).AddColumn(new TableColumn("failures").RightAligned())
            .AddColumn(new TableColumn("CPU s").RightAligned());
        foreach (var r in results)
        {
            table.AddRow(r.Phase, r.Masters.ToString(), $"{r.Connected}/{r.Endpoints}", $"{r.Elapsed.TotalSeconds:F2} s", r.FullHandshakes.ToString(),
                r.ResumedHandshakes.ToString(), r.Moved == 0 ? "-" : $"{r.Moved} / {r.ResumedAfterMove}", r.Timeouts.ToString(), r.Failures.ToString(), $"{r.CpuSeconds:F2}");
        }

        return table;
    }

    private static Table Table(IReadOnlyList<PhaseResult> results)
    {
        var table = new Table().Border(TableBorder.Rounded)
            .AddColumn("phase").AddColumn(new TableColumn("connected").RightAligned()).AddColumn(new TableColumn("time").RightAligned())
            .AddColumn(new TableColumn("full").RightAligned()).AddColumn(new TableColumn("resumed").RightAligned())
            .AddColumn(new TableColumn("timeouts").RightAligned()).AddColumn(new TableColumn("failures").RightAligned())
            .AddColumn(new TableColumn("CPU s").RightAligned());
        foreach (var r in results)
        {
            table.AddRow(r.Phase, $"{r.Connected}/{r.Endpoints}", $"{r.Elapsed.TotalSeconds:F2} s", r.FullHandshakes.ToString(),
                r.ResumedHandshakes.ToString(), r.Timeouts.ToString(), r.Failures.ToString(), $"{r.CpuSeconds:F2}");
        }

        return table;
    }
}
