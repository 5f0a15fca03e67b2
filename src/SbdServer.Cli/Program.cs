using SbdServer.Cli;

return await SbdCommand.Create().Parse(args).InvokeAsync();
