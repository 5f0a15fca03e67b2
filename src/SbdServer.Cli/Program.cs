using SbdServer.Cli;

// Before anything touches OpenSSL, which reads its configuration once.
if (args.Length > 0 && args[0] == "phone")
{
    PhoneLegacyTls.EnableForProcess();
}

return await SbdCommand.InvokeAsync(args);
