using SbdServer.Host.Composition;

var builder = WebApplication.CreateBuilder(args);

builder.AddSbdDefaults();
builder.AddSbdPersistence();
builder.AddSbdApi();
builder.AddSbdProvisioning();
builder.AddSbdTftp();
builder.AddSbdTvsFromCertificateStore();
builder.AddSbdTvs();
builder.AddSbdPhoneServices();

var app = builder.Build();

app.MapSbdHealth();
app.MapSbdApi();
app.MapSbdMetrics();

app.Run();

/// <summary>Entry point type, visible to WebApplicationFactory in the integration tests.</summary>
public partial class Program;
