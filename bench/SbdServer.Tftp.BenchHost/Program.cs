using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using SbdServer.Core.Tftp;
using SbdServer.Tftp;
using SbdServer.Tftp.Sources;

// Usage: SbdServer.Tftp.BenchHost --catalogue memory|static --dir DIR [--Tftp:Port=16969 ...]
// "memory": every file of DIR is loaded into an InMemoryTftpFileSource registered as the generated source (the shape
// of the provisioning catalogue) and no static root is configured. "static": DIR is Tftp:Root.
var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings { Args = args });
builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
{
    ["Tftp:Address"] = "127.0.0.1",
    ["Tftp:Port"] = "16969",
    ["Tftp:HttpEnabled"] = "false",
    ["Tftp:MaxSessionsPerClient"] = "0",       // every simulated phone is 127.0.0.1
    ["Tftp:MaxRequestsPerSecondPerClient"] = "0",
    ["Tftp:MaxTransferLogLinesPerSecond"] = "1",
});
builder.Configuration.AddCommandLine(args);
builder.Logging.AddSimpleConsole().SetMinimumLevel(LogLevel.Warning);

var mode = builder.Configuration["catalogue"] ?? "memory";
var dir = builder.Configuration["dir"] ?? throw new ArgumentException("--dir DIR is required");
if (mode == "static")
{
    builder.Configuration["Tftp:Root"] = dir;
}
else
{
    var source = new InMemoryTftpFileSource("generated");
    foreach (var file in Directory.EnumerateFiles(dir))
    {
        source.Set(Path.GetFileName(file), File.ReadAllBytes(file));
    }

    builder.Services.AddSingleton<ITftpFileSource>(source);
    Console.WriteLine($"in-memory catalogue: {source.Count} files");
}

builder.Services.AddSbdTftpServer(builder.Configuration);
using var host = builder.Build();
await host.StartAsync();
Console.WriteLine($"ready on {host.Services.GetRequiredService<TftpServerService>().LocalEndPoint}");
await host.WaitForShutdownAsync();
