namespace Switchboard.Bench;

/// <summary><c>dotnet run -c Release --project bench/Switchboard.Bench -- &lt;benchmark&gt; [options]</c></summary>
internal static class BenchCommand
{
    private const string UsageText = """
        usage: Switchboard.Bench <benchmark> [options]
          handshake --json FILE [--iterations N] [--rounds R]   CPU per full and resumed handshake: OpenSSL engine pair vs SslStream pair
          limit --json FILE [--seconds S]                         OpenSSL's own ceiling: s_time against s_server, new and reused
          cache --json FILE [--fills ..] [--threads T]          shmcb-style store vs ConcurrentDictionary at 10/50/90/100 % fill
          storm --endpoints N [options]                           reconnect storms (see bench/README.md)
          faults --endpoints N [--modes ..] [options]             the fault matrix at scale (see bench/README.md)
          cluster --endpoints N [--key K] [--nodes 3] [--replication on,off]   masters as processes: cold, kill -9 of one, its restart
          agents --certs DIR --count N [options]                  a fleet of agents, as `switchboard agents` runs it (the benchmarks' fleet processes)
        """;

    private static async Task<int> Agents(string[] args)
    {
        try
        {
            return await Switchboard.Testing.Fleet.FleetHost.RunAsync(Switchboard.Testing.Arguments.Parse(args));
        }
        catch (Switchboard.Testing.UsageException e)
        {
            Console.Error.WriteLine($"agents: {e.Message}");
            return 2;
        }
    }

    public static Task<int> RunAsync(string[] args)
    {
        if (args.Length == 0)
        {
            Console.Error.WriteLine(UsageText);
            return Task.FromResult(2);
        }

        switch (args[0])
        {
            case "cache": return Cache.CacheBenchmark.RunAsync(args);
            case "handshake": return Handshake.HandshakeBenchmark.RunAsync(args[1..]);
            case "limit": return Limit.LimitBenchmark.RunAsync(args[1..]);
            case "storm": return Storm.StormCommand.RunAsync(args[1..]);
            case "faults": return Faults.FaultsCommand.RunAsync(args[1..]);
            case "cluster": return Cluster.ClusterBenchmark.RunAsync(args[1..]);
            case "agents": return Agents(args[1..]);
            default:
                Console.Error.WriteLine($"unknown benchmark '{args[0]}'");
                Console.Error.WriteLine(UsageText);
                return Task.FromResult(2);
        }
    }
}
