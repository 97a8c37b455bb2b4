import Link from "next/link";

// An unknown bot id, or another team's bot: answered 404 (page.tsx), in the words the bot page uses.
export default function BotNotFound() {
  return (
    <div role="alert" className="rounded-md border border-neutral-800 px-6 py-10 text-center">
      <p className="font-medium text-neutral-200">Bot not found</p>
      <p className="mt-1 text-neutral-500">There is no such bot in this team.</p>
      <Link href="/bots" className="mt-3 inline-block text-emerald-400 hover:underline">
        All bots
      </Link>
    </div>
  );
}
