using System.Reflection;

namespace WeedGo.Bench;

/// <summary>Every <see cref="IScenario"/> in this assembly (public, concrete, parameterless constructor), in name order.</summary>
public static class ScenarioRegistry
{
    public static IReadOnlyList<IScenario> All { get; } = typeof(ScenarioRegistry).Assembly.GetTypes()
        .Where(t => t is { IsClass: true, IsAbstract: false, IsPublic: true } && typeof(IScenario).IsAssignableFrom(t)
                    && t.GetConstructor(Type.EmptyTypes) is not null)
        .Select(t => (IScenario)Activator.CreateInstance(t)!)
        .OrderBy(s => s.Name, StringComparer.Ordinal)
        .ToList();

    /// <summary>The named scenarios (all when none are named); throws with the list of known names for an unknown one.</summary>
    public static IReadOnlyList<IScenario> Select(IReadOnlyList<string> names)
    {
        var duplicates = All.GroupBy(s => s.Name).Where(g => g.Count() > 1).Select(g => g.Key).ToList();
        if (duplicates.Count > 0)
        {
            throw new InvalidOperationException($"Two scenarios share a name: {string.Join(", ", duplicates)}.");
        }
        if (names.Count == 0)
        {
            return All;
        }
        var unknown = names.Where(n => All.All(s => s.Name != n)).ToList();
        if (unknown.Count > 0)
        {
            throw new ArgumentException(
                $"Unknown scenario(s): {string.Join(", ", unknown)}. Known: {string.Join(", ", All.Select(s => s.Name))}.");
        }
        return names.Distinct().Select(n => All.First(s => s.Name == n)).ToList();
    }
}
