using Switchboard.Cli;

return await CommandLine.RunAsync(args);
