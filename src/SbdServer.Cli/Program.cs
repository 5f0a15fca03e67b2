using SbdServer.Cli;

return await SbdCommand.InvokeAsync(args);
