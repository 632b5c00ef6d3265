using System.Runtime.InteropServices;

namespace Switchboard.Bench.Report;

/// <summary>Where the figures were measured; the load average says whether the machine was quiet.</summary>
internal sealed record MachineInfo(string Cpu, int Cores, string Os, string Runtime, string LoadAverageAtStart, string? LoadAverageAtEnd)
{
    public static MachineInfo Now() => new(CpuModel(), Environment.ProcessorCount, RuntimeInformation.OSDescription,
        RuntimeInformation.FrameworkDescription, LoadAverage(), null);

    public static string LoadAverage()
    {
        try
        {
            return string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3));
        }
        catch (IOException)
        {
            return "unknown";
        }
    }

    private static string CpuModel()
    {
        try
        {
            var line = File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal));
            return line?.Split(':', 2)[1].Trim() ?? "unknown";
        }
        catch (IOException)
        {
            return "unknown";
        }
    }
}
