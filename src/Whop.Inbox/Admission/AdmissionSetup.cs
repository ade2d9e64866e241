using Microsoft.AspNetCore.Components.Server.Circuits;

namespace Whop.Inbox.Admission;

public static class AdmissionSetup
{
    public static IHostApplicationBuilder AddAdmission(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<AdmissionOptions>().BindConfiguration(AdmissionOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddSingleton<DatabaseAdmission>();
        builder.Services.AddSingleton<AdmissionInterceptor>();
        builder.Services.AddSingleton<HubAdmission>();
        builder.Services.AddScoped<CircuitHandler, CircuitAdmission>();
        return builder;
    }

    /// <summary>After the credential is known and its allowance taken, before anything waits for the database.</summary>
    public static IApplicationBuilder UseAdmission(this IApplicationBuilder app) => app.UseMiddleware<AdmissionMiddleware>();
}
