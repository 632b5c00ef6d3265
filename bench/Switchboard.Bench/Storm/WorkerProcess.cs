using System.Diagnostics;
using System.Text.Json;
using Switchboard.Bench.Report;
using Switchboard.Bench.Shared;

namespace Switchboard.Bench.Storm;

/// <summary>Runs one <see cref="WorkerPlan"/> in a fresh process of this benchmark, bounded in time.</summary>
internal static class WorkerProcess
{
    public static async Task<WorkerResult> RunAsync(WorkerPlan plan, string planPath, TextWriter log)
    {
        await File.WriteAllTextAsync(planPath, JsonSerializer.Serialize(plan, StormJson.Options));
        File.Delete(plan.ResultPath);
        var self = ChildCommand.Self();
        string[] arguments = ["storm", "--worker", planPath];
        // Each phase is bounded by the limit; allow for starting, settling and shutting down around it.
        var bound = TimeSpan.FromSeconds(plan.Phases.Count * (plan.PhaseLimitSeconds + 30) + 90);
        var info = self.StartInfo(arguments);
        foreach (var (name, value) in plan.ManagerEnvironment ?? new Dictionary<string, string>())
        {
            info.Environment[name] = value;
        }

        info.RedirectStandardOutput = true; // our stdout carries the report; whatever a worker prints (Akka's logger) goes to stderr
        using var process = new Process { StartInfo = info };
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                log.WriteLine(e.Data);
            }
        };
        if (!process.Start())
        {
            throw new InvalidOperationException($"could not start {self.Describe(arguments)}");
        }

        process.BeginOutputReadLine();
        using var deadline = new CancellationTokenSource(bound);
        try
        {
            await process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            log.WriteLine($"storm: the {plan.Side} worker ran past {bound.TotalSeconds:F0} s; killing it");
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
            return Read(plan) ?? new WorkerResult([], $"the worker ran past its bound of {bound.TotalSeconds:F0} s and was killed");
        }

        return Read(plan) ?? new WorkerResult([], $"the worker exited with code {process.ExitCode} without writing a result");
    }

    private static WorkerResult? Read(WorkerPlan plan)
    {
        if (!File.Exists(plan.ResultPath))
        {
            return null;
        }

        try
        {
            return JsonSerializer.Deserialize<WorkerResult>(File.ReadAllText(plan.ResultPath), StormJson.Options);
        }
        catch (JsonException e)
        {
            return new WorkerResult([], $"unreadable worker result {plan.ResultPath}: {e.Message}");
        }
    }
}
