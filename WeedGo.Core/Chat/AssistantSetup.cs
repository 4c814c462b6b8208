using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace WeedGo.Core.Chat;

public static class AssistantSetup
{
    /// <summary>The AI budtender: <see cref="IAssistant"/>, its tools, admin services and the response cache (in memory unless an
    /// <c>IDistributedCache</c> such as Redis is registered first). Configure <see cref="AssistantOptions"/> from
    /// <c>WeedGo:Assistant</c>.</summary>
    public static IServiceCollection AddWeedGoAssistant(this IServiceCollection services)
    {
        services.AddOptions<AssistantOptions>();
        services.AddDistributedMemoryCache();
        services.TryAddSingleton<ChatClientFactory>();
        services.AddScoped<AssistantTools>();
        services.AddScoped<CustomerMemoryService>();
        services.AddScoped<AssistantService>();
        services.AddScoped<IAssistant>(sp => sp.GetRequiredService<AssistantService>());
        services.AddScoped<AssistantSettingsService>();
        services.AddScoped<PersonalityService>();
        services.AddScoped<AssistantUsageQueries>();
        return services;
    }
}
