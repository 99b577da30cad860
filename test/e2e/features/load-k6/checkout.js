// A user's own k6 script: kubeproof passes the Service's NodePort on 127.0.0.1 as BASE_URL.
import http from 'k6/http';

export const options = {
  vus: 2,
  duration: '20s',
  thresholds: { http_req_failed: ['rate<0.01'] },
};

export default function () {
  http.get(`${__ENV.BASE_URL}/`);
}
