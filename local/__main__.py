"""``python -m local``: bring the whole suite up on this machine (what ``make run`` does)."""

from __future__ import annotations

import argparse
import os
import signal
import sys
import threading


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m local", description=__doc__)
    parser.add_argument("--api-port", type=int, default=int(os.environ.get("API_PORT", 8000)))
    parser.add_argument("--aws-port", type=int, default=int(os.environ.get("AWS_PORT", 5000)))
    parser.add_argument(
        "--endpoint",
        default=os.environ.get("ENDPOINT") or None,
        help="an existing LocalStack (e.g. http://localhost:4566) instead of the embedded emulator",
    )
    parser.add_argument("--no-seed", action="store_true", help="skip the demo tenants and data")
    args = parser.parse_args(argv)

    if args.endpoint:
        from local.localstack import run_against_localstack

        return run_against_localstack(args.endpoint, api_port=args.api_port, seed_data=not args.no_seed)

    from local.stack import LocalStack, PortInUseError

    stack = LocalStack(api_port=args.api_port, aws_port=args.aws_port, seed=not args.no_seed)
    try:
        stack.start()
    except PortInUseError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    print_banner(stack.api_url, stack.endpoint, stack.ready_seconds)
    stopped = threading.Event()
    signal.signal(signal.SIGINT, lambda *_: stopped.set())
    signal.signal(signal.SIGTERM, lambda *_: stopped.set())
    stopped.wait()
    print("\nstopping ...", flush=True)
    stack.stop()
    print("stopped.")
    return 0


def print_banner(api_url: str, aws_endpoint: str, ready_seconds: float) -> None:
    print(
        f"""
TriDesk is up (ready in {ready_seconds:.1f}s).

  API            {api_url}
  AWS endpoint   {aws_endpoint}   (AWS_ENDPOINT_URL={aws_endpoint} AWS_ACCESS_KEY_ID=local AWS_SECRET_ACCESS_KEY=local)
  Demo tenants   demo-ecommerce, demo-finance, demo-education

Try:
  curl -s {api_url}/v1/health
  curl -s -H 'X-Tenant-Id: demo-ecommerce' {api_url}/v1/tenant
  curl -s -H 'X-Tenant-Id: demo-finance' {api_url}/v1/tenant
  aws --endpoint-url {aws_endpoint} stepfunctions list-state-machines

Ctrl-C stops everything.""",
        flush=True,
    )


if __name__ == "__main__":
    sys.exit(main())
