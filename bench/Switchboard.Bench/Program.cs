using Switchboard.Bench;

return await BenchCommand.RunAsync(args);
