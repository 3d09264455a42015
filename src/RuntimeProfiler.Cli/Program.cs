using RuntimeProfiling.Cli;

return await CliApp.RunAsync(args, Console.Out, Console.Error, handleProcessSignals: true).ConfigureAwait(false);
